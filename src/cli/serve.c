/* serve.c - `bookd serve`: open the store, start HTTP and the jobs, stop cleanly on SIGTERM. */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include "api/app.h"
#include "api/auth.h"
#include "api/live.h"
#include "base/civil.h"
#include "core/tz.h"
#include "base/clock.h"
#include "base/log.h"
#include "cli/cli.h"
#include "http/metrics.h"
#include "http/server.h"
#include "http/sse.h"
#include "jobs/jobs.h"
#include "jobs/notify_worker.h"
#include "store/book_writer.h"

int cmd_serve(int argc, char **argv)
{
	const char *listen = "127.0.0.1:8080", *url = "sqlite:bookd.db", *public_url = "";
	const char *threads_s = "16", *test_clock = "", *level_s = "info", *rate_limits = "on";
	const char *smtp_url = "", *smtp_from = "", *sms_url = "", *sms_user = "", *sms_password = "";
	const char *sms_from = "", *sms_max_s = "160", *web_dir = "";
	cli_flag flags[] = {
		{"--listen", "BOOKD_LISTEN", &listen, "address and port to serve on"},
		{"--db", "BOOKD_DB", &url, "database URL: sqlite:PATH or postgres://..."},
		{"--public-url", "BOOKD_PUBLIC_URL", &public_url, "base URL for links in messages"},
		{"--threads", "BOOKD_THREADS", &threads_s, "HTTP worker threads"},
		{"--test-clock", "BOOKD_TEST_CLOCK", &test_clock,
		 "hold \"now\" at this RFC 3339 instant (tests only)"},
		{"--log-level", "BOOKD_LOG_LEVEL", &level_s, "debug, info, warn or error"},
		{"--rate-limits", "BOOKD_RATE_LIMITS", &rate_limits,
		 "on, off, or NAME=COUNT/SECONDS,... (README)"},
		{"--smtp-url", "BOOKD_SMTP_URL", &smtp_url,
		 "smtp://user:pass@host:587 (STARTTLS) or smtps://... (TLS); unset keeps email pending"},
		{"--smtp-from", "BOOKD_SMTP_FROM", &smtp_from, "sender address of email"},
		{"--sms-url", "BOOKD_SMS_URL", &sms_url, "the SMS provider's form-POST endpoint"},
		{"--sms-user", "BOOKD_SMS_USER", &sms_user, "SMS provider account (HTTP basic auth)"},
		{"--sms-password", "BOOKD_SMS_PASSWORD", &sms_password, "SMS provider token"},
		{"--sms-from", "BOOKD_SMS_FROM", &sms_from, "SMS sender number or name"},
		{"--sms-max", "BOOKD_SMS_MAX", &sms_max_s, "SMS length limit in characters"},
		{"--web-dir", "BOOKD_WEB_DIR", &web_dir,
		 "serve the web app from this directory, read per request (front-end work); unset "
		 "serves the files built in"},
	};
	int code = 0;
	char err[512];
	if (!cli_parse("serve", "Serve the booking API, booking page and dashboard.", argc, argv,
		       flags, (int)(sizeof(flags) / sizeof(flags[0])), &code))
		return code;

	char *end;
	long threads = strtol(threads_s, &end, 10);
	if (*threads_s == '\0' || *end != '\0' || threads < 1 || threads > 256) {
		fprintf(stderr, "bookd serve: --threads must be 1..256, got '%s'\n", threads_s);
		return 2;
	}
	static const char *const levels[] = {"debug", "info", "warn", "error"};
	int level = -1;
	for (int i = 0; i < 4; i++)
		if (strcmp(level_s, levels[i]) == 0)
			level = i;
	if (level < 0) {
		fprintf(stderr, "bookd serve: --log-level must be debug, info, warn or error\n");
		return 2;
	}
	log_set_level((log_level)level);
	if (!auth_setup(rate_limits, public_url, err, sizeof(err))) {
		fprintf(stderr, "bookd serve: %s\n", err);
		return 2;
	}
	long sms_max = strtol(sms_max_s, &end, 10);
	if (*sms_max_s == '\0' || *end != '\0' || sms_max < 10 || sms_max > 1600) {
		fprintf(stderr, "bookd serve: --sms-max must be 10..1600, got '%s'\n", sms_max_s);
		return 2;
	}
	if (*smtp_url && strncmp(smtp_url, "smtp://", 7) != 0 && strncmp(smtp_url, "smtps://", 8) != 0) {
		fprintf(stderr, "bookd serve: --smtp-url must start with smtp:// or smtps://\n");
		return 2;
	}
	if (*smtp_url && !strchr(smtp_from, '@')) {
		fprintf(stderr, "bookd serve: --smtp-from must be an address when --smtp-url is set\n");
		return 2;
	}
	if (*test_clock) {
		int64_t t;
		if (!tz_parse_rfc3339(test_clock, strlen(test_clock), &t)) {
			fprintf(stderr, "bookd serve: --test-clock must be an RFC 3339 instant, got '%s'\n",
				test_clock);
			return 2;
		}
		clock_test_set(t);
	}
	struct stat web_st;
	if (*web_dir && (stat(web_dir, &web_st) != 0 || !S_ISDIR(web_st.st_mode))) {
		fprintf(stderr, "bookd serve: --web-dir must be a directory, got '%s'\n", web_dir);
		return 2;
	}
	struct sockaddr_storage probe;
	size_t probe_len;
	if (!http_parse_listen(listen, &probe, &probe_len, err, sizeof(err))) {
		fprintf(stderr, "bookd serve: %s\n", err);
		return 2;
	}

	/* Signals are taken by sigwait below; block them before any thread starts. */
	sigset_t sigs;
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGINT);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	signal(SIGPIPE, SIG_IGN);

	db *d = NULL;
	/* A connection per HTTP thread, and some for the jobs, the notifier and the booking writer. */
	code = cli_open_db(url, (int)threads + 5, &d);
	if (code)
		return code;
	/* PostgreSQL: live events reach every process's streams through LISTEN/NOTIFY; listening
	 * before serving, so no event sent after "listening on" is missed. */
	if (live_listen_start(d, err, sizeof(err)) != STATUS_OK) {
		fprintf(stderr, "bookd serve: %s\n", err);
		db_close(d);
		auth_shutdown();
		return 1;
	}

	app ap = {.db = d, .public_url = public_url, .test_clock = clock_test_on(),
		  .web_dir = *web_dir ? web_dir : NULL};
	size_t pl = strlen(ap.public_url);
	char *pub = NULL;
	if (pl == 0) {
		pub = malloc(strlen(listen) + 8);
		snprintf(pub, strlen(listen) + 8, "http://%s", listen);
		ap.public_url = pub;
	}
	static notify_worker_config ncfg;
	ncfg.send = (send_config){.smtp_url = smtp_url, .smtp_from = smtp_from, .sms_url = sms_url,
				  .sms_user = sms_user, .sms_password = sms_password,
				  .sms_from = sms_from, .sms_max = (int)sms_max, .timeout_s = 30};
	ncfg.public_url = ap.public_url;
	ap.notify = &ncfg;
	metrics_init(API_ROUTES, API_ROUTE_COUNT);
	sse_start(15000);
	http_server_config cfg = {
		.listen = listen,
		.threads = (unsigned)threads,
		.max_body = 1u << 20,
		.routes = API_ROUTES,
		.nroutes = API_ROUTE_COUNT,
		.test_routes = ap.test_clock,
		.app = &ap,
		.authorize = auth_authorize,
		.after = auth_after,
	};
	http_server *srv = NULL;
	status st = http_server_start(&cfg, &srv, err, sizeof(err));
	if (st != STATUS_OK) {
		fprintf(stderr, "bookd serve: %s\n", err);
		live_listen_stop(d);
		db_close(d);
		free(pub);
		metrics_shutdown();
		auth_shutdown();
		return st == STATUS_INVALID ? 2 : 1;
	}
	db_checkpoint_in_background(d); /* the jobs worker checkpoints every second */
	jobs_start(d, 1000, live_job_changed, NULL);
	book_writer_start(d); /* SQLite only: group commit of booking writes */
	notify_start(d, &ncfg, 1000);
	if (!*smtp_url)
		log_warn("email is not configured (BOOKD_SMTP_URL): messages stay pending until it is");
	if (ap.test_clock)
		log_warn("the test clock is on: \"now\" is held and POST /api/v1/test/clock moves it; "
			 "never use this in production");
	log_info("bookd %s listening on http://%.*s:%u with %s", BOOKD_VERSION,
		 (int)(strrchr(listen, ':') - listen), listen, http_server_port(srv),
		 db_kind_of(d) == DB_SQLITE ? "sqlite" : "postgres");

	int sig = 0;
	sigwait(&sigs, &sig);
	log_info("signal %d: finishing in-flight requests", sig);
	http_server_stop(srv, 10000);
	jobs_stop();
	notify_stop();
	book_writer_stop();
	live_listen_stop(d);
	db_close(d);
	metrics_shutdown();
	auth_shutdown();
	free(pub);
	log_info("stopped cleanly");
	return 0;
}
