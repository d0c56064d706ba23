/* serve.c - `bookd serve`: open the store, start HTTP and the jobs, stop cleanly on SIGTERM. */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
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
#include "http/proxy.h"
#include "http/server.h"
#include "http/sse.h"
#include "jobs/jobs.h"
#include "jobs/notify_worker.h"
#include "store/book_writer.h"

/* Reads flag name's value v as an integer in lo..hi; false (with a line on stderr) if not. */
static bool int_flag(const char *name, const char *v, long lo, long hi, long *out)
{
	char *end;
	long n = strtol(v, &end, 10);
	if (*v == '\0' || *end != '\0' || n < lo || n > hi) {
		fprintf(stderr, "bookd serve: %s must be %ld..%ld, got '%s'\n", name, lo, hi, v);
		return false;
	}
	*out = n;
	return true;
}

int cmd_serve(int argc, char **argv)
{
	const char *listen = "127.0.0.1:8080", *url = "sqlite:bookd.db", *public_url = "";
	const char *threads_s = "16", *test_clock = "", *level_s = "info", *rate_limits = "on";
	const char *smtp_url = "", *smtp_from = "", *sms_url = "", *sms_user = "", *sms_password = "";
	const char *sms_from = "", *sms_max_s = "160", *web_dir = "";
	const char *conns_s = "4096", *conns_addr_s = "256", *streams_s = "1024";
	const char *streams_addr_s = "32", *proxies_s = "", *fwd_s = "x-forwarded-for";
	const char *metrics_token = "", *metrics_listen = "";
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
		{"--max-connections", "BOOKD_MAX_CONNECTIONS", &conns_s,
		 "open connections at most (503 past it)"},
		{"--max-connections-per-address", "BOOKD_MAX_CONNECTIONS_PER_ADDRESS", &conns_addr_s,
		 "open connections from one address at most (429 past it)"},
		{"--max-streams", "BOOKD_MAX_STREAMS", &streams_s, "event streams open at most"},
		{"--max-streams-per-address", "BOOKD_MAX_STREAMS_PER_ADDRESS", &streams_addr_s,
		 "event streams of one client address at most"},
		{"--trusted-proxies", "BOOKD_TRUSTED_PROXIES", &proxies_s,
		 "CIDR,... of reverse proxies whose forwarding header names the client"},
		{"--forwarded-header", "BOOKD_FORWARDED_HEADER", &fwd_s,
		 "the header those proxies write: x-forwarded-for or forwarded"},
		{"--metrics-token", "BOOKD_METRICS_TOKEN", &metrics_token,
		 "bearer token /metrics asks for (without it or --metrics-listen: no /metrics)"},
		{"--metrics-listen", "BOOKD_METRICS_LISTEN", &metrics_listen,
		 "serve /metrics on this ADDR:PORT of its own instead of the main listener"},
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
	long conns_max, conns_addr, streams_max, streams_addr;
	if (!int_flag("--max-connections", conns_s, 64, 1000000, &conns_max) ||
	    !int_flag("--max-connections-per-address", conns_addr_s, 1, 1000000, &conns_addr) ||
	    !int_flag("--max-streams", streams_s, 1, 1000000, &streams_max) ||
	    !int_flag("--max-streams-per-address", streams_addr_s, 1, 1000000, &streams_addr))
		return 2;
	proxy_header fwd = PROXY_XFF;
	if (strcasecmp(fwd_s, "forwarded") == 0) {
		fwd = PROXY_FORWARDED;
	} else if (strcasecmp(fwd_s, "x-forwarded-for") != 0) {
		fprintf(stderr, "bookd serve: --forwarded-header must be x-forwarded-for or forwarded\n");
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
	if (!http_parse_listen(listen, &probe, &probe_len, err, sizeof(err)) ||
	    (*metrics_listen &&
	     !http_parse_listen(metrics_listen, &probe, &probe_len, err, sizeof(err)))) {
		fprintf(stderr, "bookd serve: %s\n", err);
		return 2;
	}
	if (*metrics_token && strlen(metrics_token) < 16) {
		fprintf(stderr, "bookd serve: --metrics-token must be at least 16 characters\n");
		return 2;
	}
	proxy_list *trusted = NULL;
	if (!proxy_list_parse(proxies_s, &trusted, err, sizeof(err))) {
		fprintf(stderr, "bookd serve: --trusted-proxies: %s\n", err);
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
	if (code) {
		proxy_list_free(trusted);
		return code;
	}
	/* PostgreSQL: live events reach every process's streams through LISTEN/NOTIFY; listening
	 * before serving, so no event sent after "listening on" is missed. */
	if (live_listen_start(d, err, sizeof(err)) != STATUS_OK) {
		fprintf(stderr, "bookd serve: %s\n", err);
		db_close(d);
		auth_shutdown();
		proxy_list_free(trusted);
		return 1;
	}

	app ap = {.db = d, .public_url = public_url, .test_clock = clock_test_on(),
		  .web_dir = *web_dir ? web_dir : NULL,
		  .metrics_token = metrics_token};
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
		.max_body = HTTP_BODY_DEFAULT,
		.limits = {.max_total = (int)conns_max, .max_per_addr = (int)conns_addr,
			   .streams_total = (int)streams_max, .streams_per_addr = (int)streams_addr,
			   .head_ms = HTTP_HEAD_MS, .body_ms = HTTP_BODY_MS},
		.trusted = trusted,
		.forwarded = fwd,
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
		proxy_list_free(trusted);
		return st == STATUS_INVALID ? 2 : 1;
	}
	http_server *msrv = NULL;
	app mapp = ap;
	if (*metrics_listen) {
		mapp.metrics_side = true;
		http_server_config mcfg = {.listen = metrics_listen, .threads = 1, .max_body = 1024,
					   .routes = API_METRICS_ROUTES,
					   .nroutes = API_METRICS_ROUTE_COUNT, .app = &mapp,
					   .quiet = true};
		if (http_server_start(&mcfg, &msrv, err, sizeof(err)) != STATUS_OK) {
			fprintf(stderr, "bookd serve: metrics: %s\n", err);
			http_server_stop(srv, 0);
			live_listen_stop(d);
			db_close(d);
			free(pub);
			metrics_shutdown();
			auth_shutdown();
			proxy_list_free(trusted);
			return 1;
		}
		log_info("metrics served on http://%.*s:%u",
			 (int)(strrchr(metrics_listen, ':') - metrics_listen), metrics_listen,
			 http_server_port(msrv));
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
	http_server_stop(msrv, 1000);
	http_server_stop(srv, 10000);
	jobs_stop();
	notify_stop();
	book_writer_stop();
	live_listen_stop(d);
	db_close(d);
	metrics_shutdown();
	auth_shutdown();
	free(pub);
	proxy_list_free(trusted);
	log_info("stopped cleanly");
	return 0;
}
