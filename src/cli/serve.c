/* serve.c - `bookd serve`: open the store, start HTTP and the jobs, stop cleanly on SIGTERM,
 * load the TLS certificate again on SIGHUP. */
#include <malloc.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include "api/app.h"
#include "api/auth.h"
#include "api/avail_cache.h"
#include "api/live.h"
#include "api/password.h"
#include "base/civil.h"
#include "core/tz.h"
#include "base/clock.h"
#include "base/sealed.h"
#include "base/log.h"
#include "cli/cli.h"
#include "http/metrics.h"
#include "http/proxy.h"
#include "http/server.h"
#include "http/sse.h"
#include "http/tls.h"
#include "jobs/jobs.h"
#include "calsync/cloud.h"
#include "jobs/calsync_worker.h"
#include "jobs/notify_worker.h"
#include "jobs/pay_worker.h"
#include "jobs/webhook_send.h"
#include "jobs/webhook_worker.h"
#include "store/book_writer.h"

/* glibc malloc heaps the server allows (M_ARENA_MAX). */
#define SERVE_MALLOC_ARENAS 2

/* The flags of `bookd serve`, as given (text) and as read. */
typedef struct serve_opts {
	const char *listen, *url, *public_url, *threads_s, *test_clock, *level_s, *rate_limits;
	const char *smtp_url, *smtp_from, *sms_url, *sms_user, *sms_password, *sms_from;
	const char *sms_max_s, *conns_s, *conns_addr_s, *streams_s, *streams_addr_s;
	const char *proxies_s, *fwd_s, *metrics_token, *metrics_listen, *tls_cert, *tls_key;
	const char *web_dir, *cache_bytes_s, *secret_key_file;
	const char *webhooks_private; /* --webhooks-allow-private: "on" or "off" */
	pay_config pay;         /* payment providers (--stripe-*, --paypal-*) */
	const char *pay_tolerance_s; /* --webhook-tolerance, text */
	cloud_endpoints google, microsoft; /* --google-* and --microsoft-* (calsync/cloud.h) */
	size_t cache_bytes;     /* --cache-bytes, read */
	long threads, sms_max, conns, conns_addr, streams, streams_addr; /* read from the above */
	proxy_header fwd;       /* --forwarded-header */
	char *public_default;   /* the public URL when none is given (owned) */
} serve_opts;

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

/* Reads a size: digits with an optional K, M or G (binary multiples), at most 64 GiB. */
static bool size_flag(const char *name, const char *v, size_t *out)
{
	char *end;
	long long n = strtoll(v, &end, 10);
	int shift = 0;
	if (*end == 'K' || *end == 'k')
		shift = 10;
	else if (*end == 'M' || *end == 'm')
		shift = 20;
	else if (*end == 'G' || *end == 'g')
		shift = 30;
	if (shift)
		end++;
	if (end == v || *end != '\0' || n < 0 || n > (64LL << 30) >> shift) {
		fprintf(stderr, "bookd serve: %s must be a size such as 16M or 0, got '%s'\n", name,
			v);
		return false;
	}
	*out = (size_t)n << shift;
	return true;
}

/* Parses argv into o (defaults first); true to go on, else false with the exit code in
 * *code (0 after --help). */
static bool serve_flags(int argc, char **argv, serve_opts *o, int *code)
{
	*o = (serve_opts){.listen = "127.0.0.1:8080", .url = "sqlite:bookd.db", .public_url = "",
			  .threads_s = "16", .test_clock = "", .level_s = "info", .rate_limits = "on",
			  .smtp_url = "", .smtp_from = "", .sms_url = "", .sms_user = "",
			  .sms_password = "", .sms_from = "", .sms_max_s = "160", .conns_s = "4096",
			  .conns_addr_s = "256", .streams_s = "1024", .streams_addr_s = "32",
			  .proxies_s = "", .fwd_s = "x-forwarded-for", .metrics_token = "",
			  .metrics_listen = "", .tls_cert = "", .tls_key = "", .web_dir = "",
			  .cache_bytes_s = "16M", .secret_key_file = "", .webhooks_private = "off",
			  .pay = {.stripe_secret_key = "", .stripe_webhook_secret = "",
				  .stripe_api_base = "https://api.stripe.com",
				  .stripe_publishable_key = "",
				  .stripe_js_url = "https://js.stripe.com/v3/", .paypal_client_id = "",
				  .paypal_client_secret = "", .paypal_webhook_id = "",
				  .paypal_api_base = "https://api-m.paypal.com", .timeout_s = 20},
			  .pay_tolerance_s = "300",
			  .google = {"", "", CLOUD_GOOGLE_AUTH_URL, CLOUD_GOOGLE_TOKEN_URL,
				     CLOUD_GOOGLE_API_URL},
			  .microsoft = {"", "", CLOUD_MICROSOFT_AUTH_URL, CLOUD_MICROSOFT_TOKEN_URL,
					CLOUD_MICROSOFT_API_URL}};
	cli_flag flags[] = {
		{"--listen", "BOOKD_LISTEN", &o->listen, "address and port to serve on"},
		{"--db", "BOOKD_DB", &o->url, "database URL: sqlite:PATH or postgres://..."},
		{"--public-url", "BOOKD_PUBLIC_URL", &o->public_url, "base URL for links in messages"},
		{"--threads", "BOOKD_THREADS", &o->threads_s, "HTTP worker threads"},
		{"--test-clock", "BOOKD_TEST_CLOCK", &o->test_clock,
		 "hold \"now\" at this RFC 3339 instant (tests only)"},
		{"--log-level", "BOOKD_LOG_LEVEL", &o->level_s, "debug, info, warn or error"},
		{"--rate-limits", "BOOKD_RATE_LIMITS", &o->rate_limits,
		 "on, off, or NAME=COUNT/SECONDS,... (README)"},
		{"--smtp-url", "BOOKD_SMTP_URL", &o->smtp_url,
		 "smtp://user:pass@host:587 (STARTTLS) or smtps://... (TLS); unset keeps email pending"},
		{"--smtp-from", "BOOKD_SMTP_FROM", &o->smtp_from, "sender address of email"},
		{"--sms-url", "BOOKD_SMS_URL", &o->sms_url, "the SMS provider's form-POST endpoint"},
		{"--sms-user", "BOOKD_SMS_USER", &o->sms_user, "SMS provider account (HTTP basic auth)"},
		{"--sms-password", "BOOKD_SMS_PASSWORD", &o->sms_password, "SMS provider token"},
		{"--sms-from", "BOOKD_SMS_FROM", &o->sms_from, "SMS sender number or name"},
		{"--sms-max", "BOOKD_SMS_MAX", &o->sms_max_s, "SMS length limit in characters"},
		{"--max-connections", "BOOKD_MAX_CONNECTIONS", &o->conns_s,
		 "open connections at most (503 past it)"},
		{"--max-connections-per-address", "BOOKD_MAX_CONNECTIONS_PER_ADDRESS",
		 &o->conns_addr_s, "open connections from one address at most (429 past it)"},
		{"--max-streams", "BOOKD_MAX_STREAMS", &o->streams_s, "event streams open at most"},
		{"--max-streams-per-address", "BOOKD_MAX_STREAMS_PER_ADDRESS", &o->streams_addr_s,
		 "event streams of one client address at most"},
		{"--trusted-proxies", "BOOKD_TRUSTED_PROXIES", &o->proxies_s,
		 "CIDR,... of reverse proxies whose forwarding header names the client"},
		{"--forwarded-header", "BOOKD_FORWARDED_HEADER", &o->fwd_s,
		 "the header those proxies write: x-forwarded-for or forwarded"},
		{"--metrics-token", "BOOKD_METRICS_TOKEN", &o->metrics_token,
		 "bearer token /metrics asks for (without it or --metrics-listen: no /metrics)"},
		{"--metrics-listen", "BOOKD_METRICS_LISTEN", &o->metrics_listen,
		 "serve /metrics on this ADDR:PORT of its own instead of the main listener"},
		{"--tls-cert", "BOOKD_TLS_CERT", &o->tls_cert,
		 "PEM certificate chain: serve HTTPS (loaded again on SIGHUP)"},
		{"--tls-key", "BOOKD_TLS_KEY", &o->tls_key, "PEM private key of --tls-cert"},
		{"--cache-bytes", "BOOKD_CACHE_BYTES", &o->cache_bytes_s,
		 "memory the availability cache may take: bytes, or with K, M or G (0: no cache)"},
		{"--stripe-secret-key", "BOOKD_STRIPE_SECRET_KEY", &o->pay.stripe_secret_key,
		 "Stripe secret key (sk_test_... or sk_live_...): customers may pay by Stripe"},
		{"--stripe-webhook-secret", "BOOKD_STRIPE_WEBHOOK_SECRET",
		 &o->pay.stripe_webhook_secret, "signing secret (whsec_...) of Stripe's webhook"},
		{"--stripe-api-base", "BOOKD_STRIPE_API_BASE", &o->pay.stripe_api_base,
		 "Stripe's API address (tests: a stand-in)"},
		{"--stripe-publishable-key", "BOOKD_STRIPE_PUBLISHABLE_KEY",
		 &o->pay.stripe_publishable_key,
		 "Stripe publishable key (pk_...): the booking page also offers the Payment Element"},
		{"--stripe-js-url", "BOOKD_STRIPE_JS_URL", &o->pay.stripe_js_url,
		 "where the page loads Stripe.js (https://js.stripe.com/v3/; tests: a stand-in)"},
		{"--paypal-client-id", "BOOKD_PAYPAL_CLIENT_ID", &o->pay.paypal_client_id,
		 "PayPal REST app client id: customers may pay by PayPal"},
		{"--paypal-client-secret", "BOOKD_PAYPAL_CLIENT_SECRET", &o->pay.paypal_client_secret,
		 "PayPal REST app secret"},
		{"--paypal-webhook-id", "BOOKD_PAYPAL_WEBHOOK_ID", &o->pay.paypal_webhook_id,
		 "id of the PayPal webhook, for its signature check"},
		{"--paypal-api-base", "BOOKD_PAYPAL_API_BASE", &o->pay.paypal_api_base,
		 "PayPal's API address (https://api-m.sandbox.paypal.com for the sandbox)"},
		{"--webhook-tolerance", "BOOKD_WEBHOOK_TOLERANCE", &o->pay_tolerance_s,
		 "seconds a signed payment webhook may be old (or early)"},
		{"--secret-key-file", "BOOKD_SECRET_KEY_FILE", &o->secret_key_file,
		 "key that seals calendar passwords and tokens (made 0600 if missing; default "
		 "beside the SQLite file or in the state directory; BOOKD_SECRET_KEY overrides)"},
		{"--google-client-id", "BOOKD_GOOGLE_CLIENT_ID", &o->google.client_id,
		 "OAuth client of Google Calendar connections (unset: none can be made)"},
		{"--google-client-secret", "BOOKD_GOOGLE_CLIENT_SECRET", &o->google.client_secret,
		 "its client secret"},
		{"--google-auth-url", "BOOKD_GOOGLE_AUTH_URL", &o->google.auth_url,
		 "Google's consent page"},
		{"--google-token-url", "BOOKD_GOOGLE_TOKEN_URL", &o->google.token_url,
		 "Google's token endpoint"},
		{"--google-api-url", "BOOKD_GOOGLE_API_URL", &o->google.api_url,
		 "the Google Calendar API's base"},
		{"--microsoft-client-id", "BOOKD_MICROSOFT_CLIENT_ID", &o->microsoft.client_id,
		 "OAuth client of Microsoft 365 / Outlook.com connections (unset: none can be made)"},
		{"--microsoft-client-secret", "BOOKD_MICROSOFT_CLIENT_SECRET",
		 &o->microsoft.client_secret, "its client secret"},
		{"--microsoft-auth-url", "BOOKD_MICROSOFT_AUTH_URL", &o->microsoft.auth_url,
		 "Microsoft's consent page"},
		{"--microsoft-token-url", "BOOKD_MICROSOFT_TOKEN_URL", &o->microsoft.token_url,
		 "Microsoft's token endpoint"},
		{"--microsoft-api-url", "BOOKD_MICROSOFT_API_URL", &o->microsoft.api_url,
		 "the Microsoft Graph API's base"},
		{"--webhooks-allow-private", "BOOKD_WEBHOOKS_ALLOW_PRIVATE", &o->webhooks_private,
		 "on: webhooks may reach loopback, private and link-local addresses (off: refused)"},
		{"--web-dir", "BOOKD_WEB_DIR", &o->web_dir,
		 "serve the web app from this directory, read per request (front-end work); unset "
		 "serves the files built in"},
	};
	*code = 0;
	if (!cli_parse("serve", "Serve the booking API, booking page and dashboard.", argc, argv,
		       flags, (int)(sizeof(flags) / sizeof(flags[0])), code))
		return false;
	*code = 2;
	long tolerance = 300;
	return int_flag("--threads", o->threads_s, 1, 256, &o->threads) &&
	       int_flag("--sms-max", o->sms_max_s, 10, 1600, &o->sms_max) &&
	       int_flag("--max-connections", o->conns_s, 64, 1000000, &o->conns) &&
	       int_flag("--max-connections-per-address", o->conns_addr_s, 1, 1000000,
			&o->conns_addr) &&
	       int_flag("--max-streams", o->streams_s, 1, 1000000, &o->streams) &&
	       int_flag("--max-streams-per-address", o->streams_addr_s, 1, 1000000,
			&o->streams_addr) &&
	       size_flag("--cache-bytes", o->cache_bytes_s, &o->cache_bytes) &&
	       int_flag("--webhook-tolerance", o->pay_tolerance_s, 1, 86400, &tolerance) &&
	       (o->pay.webhook_tolerance_s = tolerance, true);
}

/* Checks what flags depend on one another or on the outside; sets the log level, the test
 * clock, the rate limits and the TLS pair. Returns 0 to go on, else the exit code. */
static int serve_check(serve_opts *o)
{
	static const char *const levels[] = {"debug", "info", "warn", "error"};
	int level = -1;
	for (int i = 0; i < 4; i++)
		if (strcmp(o->level_s, levels[i]) == 0)
			level = i;
	const char *why = NULL;
	if (level < 0)
		why = "--log-level must be debug, info, warn or error";
	else if (strcasecmp(o->fwd_s, "x-forwarded-for") != 0 && strcasecmp(o->fwd_s, "forwarded") != 0)
		why = "--forwarded-header must be x-forwarded-for or forwarded";
	else if (*o->smtp_url && strncmp(o->smtp_url, "smtp://", 7) != 0 &&
		 strncmp(o->smtp_url, "smtps://", 8) != 0)
		why = "--smtp-url must start with smtp:// or smtps://";
	else if (*o->smtp_url && !strchr(o->smtp_from, '@'))
		why = "--smtp-from must be an address when --smtp-url is set";
	else if (*o->metrics_token && strlen(o->metrics_token) < 16)
		why = "--metrics-token must be at least 16 characters";
	else if (!*o->tls_cert != !*o->tls_key)
		why = "--tls-cert and --tls-key go together";
	else if (*o->pay.stripe_secret_key && !*o->pay.stripe_webhook_secret)
		why = "--stripe-webhook-secret is needed with --stripe-secret-key: payments are "
		      "confirmed only by Stripe's signed webhook";
	else if (!*o->pay.paypal_client_id != !*o->pay.paypal_client_secret)
		why = "--paypal-client-id and --paypal-client-secret go together";
	else if (*o->pay.paypal_client_id && !*o->pay.paypal_webhook_id)
		why = "--paypal-webhook-id is needed with PayPal: payments are confirmed only by "
		      "its verified webhook";
	else if (strcmp(o->webhooks_private, "on") != 0 && strcmp(o->webhooks_private, "off") != 0)
		why = "--webhooks-allow-private must be on or off";
	struct stat web_st;
	if (!why && *o->web_dir && (stat(o->web_dir, &web_st) != 0 || !S_ISDIR(web_st.st_mode)))
		why = "--web-dir must be a directory";
	if (why) {
		fprintf(stderr, "bookd serve: %s\n", why);
		return 2;
	}
	log_set_level((log_level)level);
	webhook_send_allow_private(strcmp(o->webhooks_private, "on") == 0);
	o->fwd = strcasecmp(o->fwd_s, "forwarded") == 0 ? PROXY_FORWARDED : PROXY_XFF;
	char err[512];
	struct sockaddr_storage probe;
	size_t probe_len;
	if (!http_parse_listen(o->listen, &probe, &probe_len, err, sizeof(err)) ||
	    (*o->metrics_listen &&
	     !http_parse_listen(o->metrics_listen, &probe, &probe_len, err, sizeof(err)))) {
		fprintf(stderr, "bookd serve: %s\n", err);
		return 2;
	}
	if (*o->test_clock) {
		int64_t t;
		if (!tz_parse_rfc3339(o->test_clock, strlen(o->test_clock), &t)) {
			fprintf(stderr, "bookd serve: --test-clock must be an RFC 3339 instant, got '%s'\n",
				o->test_clock);
			return 2;
		}
		clock_test_set(t);
	}
	if (!*o->public_url) {
		size_t n = strlen(o->listen) + 16;
		o->public_default = malloc(n);
		snprintf(o->public_default, n, "%s://%s", *o->tls_cert ? "https" : "http", o->listen);
	}
	/* A public URL given or made up: auth marks cookies Secure when it is https. */
	if (!auth_setup(o->rate_limits, *o->public_url ? o->public_url : o->public_default, err,
			sizeof(err))) {
		fprintf(stderr, "bookd serve: %s\n", err);
		return 2;
	}
	if (*o->tls_cert && tls_start(o->tls_cert, o->tls_key, err, sizeof(err)) != STATUS_OK) {
		fprintf(stderr, "bookd serve: %s\n", err);
		auth_shutdown();
		return 2;
	}
	return 0;
}

/* Starts the --metrics-listen listener, if any; false (with a line on stderr) on failure. */
static bool serve_metrics_start(const serve_opts *o, app *mapp, http_server **out)
{
	*out = NULL;
	if (!*o->metrics_listen)
		return true;
	char err[512];
	mapp->metrics_side = true;
	http_server_config mcfg = {.listen = o->metrics_listen, .threads = 1, .max_body = 1024,
				   .routes = API_METRICS_ROUTES, .nroutes = API_METRICS_ROUTE_COUNT,
				   .app = mapp, .quiet = true, .settle = app_settle};
	if (http_server_start(&mcfg, out, err, sizeof(err)) != STATUS_OK) {
		fprintf(stderr, "bookd serve: metrics: %s\n", err);
		return false;
	}
	log_info("metrics served on http://%.*s:%u",
		 (int)(strrchr(o->metrics_listen, ':') - o->metrics_listen), o->metrics_listen,
		 http_server_port(*out));
	return true;
}

/* Waits for SIGTERM or SIGINT; each SIGHUP meanwhile loads the TLS pair again. */
static void serve_wait(const sigset_t *sigs)
{
	for (;;) {
		int sig = 0;
		sigwait(sigs, &sig);
		if (sig != SIGHUP) {
			log_info("signal %d: finishing in-flight requests", sig);
			return;
		}
		char err[512];
		if (!tls_on())
			log_info("SIGHUP: no TLS certificate to load again");
		else if (tls_reload(err, sizeof(err)) == STATUS_OK)
			log_info("SIGHUP: TLS certificate and key loaded again");
		else
			log_error("SIGHUP: %s; the certificate in use stays", err);
	}
}

/* The notification worker's settings from the flags. */
static notify_worker_config serve_notify_config(const serve_opts *o, const char *public_url)
{
	notify_worker_config n = {0};
	n.send = (send_config){.smtp_url = o->smtp_url, .smtp_from = o->smtp_from,
			       .sms_url = o->sms_url, .sms_user = o->sms_user,
			       .sms_password = o->sms_password, .sms_from = o->sms_from,
			       .sms_max = (int)o->sms_max, .timeout_s = 30};
	n.public_url = public_url;
	return n;
}

/* The main listener's settings from the flags (trusted and ap borrowed for its life). */
static http_server_config serve_http_config(const serve_opts *o, const proxy_list *trusted,
					    app *ap)
{
	return (http_server_config){
		.listen = o->listen,
		.threads = (unsigned)o->threads,
		.max_body = HTTP_BODY_DEFAULT,
		.limits = {.max_total = (int)o->conns, .max_per_addr = (int)o->conns_addr,
			   .streams_total = (int)o->streams, .streams_per_addr = (int)o->streams_addr,
			   .head_ms = HTTP_HEAD_MS, .body_ms = HTTP_BODY_MS},
		.trusted = trusted,
		.forwarded = o->fwd,
		.routes = API_ROUTES,
		.nroutes = API_ROUTE_COUNT,
		.test_routes = ap->test_clock,
		.tls = tls_on(),
		.app = ap,
		.authorize = auth_authorize,
		.after = auth_after,
		.settle = app_settle,
	};
}

/* The log lines of a server that has started: warnings, then "listening on" (which the
 * tests read the port from). */
static void serve_announce(const serve_opts *o, const app *ap, const http_server_config *cfg,
			   http_server *srv)
{
	if (!*o->smtp_url)
		log_warn("email is not configured (BOOKD_SMTP_URL): messages stay pending until it is");
	if (ap->test_clock)
		log_warn("the test clock is on: \"now\" is held and POST /api/v1/test/clock moves it; "
			 "never use this in production");
	log_info("bookd %s listening on %s://%.*s:%u with %s", BOOKD_VERSION,
		 cfg->tls ? "https" : "http", (int)(strrchr(o->listen, ':') - o->listen), o->listen,
		 http_server_port(srv), db_kind_of(ap->db) == DB_SQLITE ? "sqlite" : "postgres");
}

/* Serves until a signal says stop; returns the exit code. */
static int serve_run(serve_opts *o, const sigset_t *sigs)
{
	char err[512];
	proxy_list *trusted = NULL;
	if (!proxy_list_parse(o->proxies_s, &trusted, err, sizeof(err))) {
		fprintf(stderr, "bookd serve: --trusted-proxies: %s\n", err);
		return 2;
	}
	db *d = NULL;
	/* A connection per HTTP thread, and some for the jobs, the notifier and the booking writer. */
	int code = cli_open_db(o->url, (int)o->threads + 5, &d);
	if (code) {
		proxy_list_free(trusted);
		return code;
	}
	/* The key that seals stored calendar secrets: before any thread can seal or open one. */
	bool key_created = false;
	if (sealed_load(getenv("BOOKD_SECRET_KEY"), o->secret_key_file, o->url, &key_created, err,
			sizeof(err)) != STATUS_OK) {
		fprintf(stderr, "bookd serve: %s\n", err);
		db_close(d);
		proxy_list_free(trusted);
		return 1;
	}
	if (key_created) {
		char *def = *o->secret_key_file ? NULL : sealed_default_path(o->url);
		log_info("made a new secret key file %s: back it up with the database",
			 def ? def : o->secret_key_file);
		free(def);
	}
	/* PostgreSQL: live events reach every process's streams through LISTEN/NOTIFY; listening
	 * before serving, so no event sent after "listening on" is missed. */
	if (live_listen_start(d, err, sizeof(err)) != STATUS_OK) {
		fprintf(stderr, "bookd serve: %s\n", err);
		db_close(d);
		proxy_list_free(trusted);
		return 1;
	}
	app ap = {.db = d, .public_url = *o->public_url ? o->public_url : o->public_default,
		  .test_clock = clock_test_on(), .metrics_token = o->metrics_token,
		  .web_dir = *o->web_dir ? o->web_dir : NULL};
	static notify_worker_config ncfg;
	ncfg = serve_notify_config(o, ap.public_url);
	ap.notify = &ncfg;
	ap.pay = &o->pay;
	cloud_configure(&o->google, &o->microsoft); /* before any request may start a consent */
	metrics_init(API_ROUTES, API_ROUTE_COUNT);
	sse_start(15000);
	password_pool_start(PASSWORD_WORKERS, PASSWORD_QUEUE_MAX); /* argon2id off HTTP threads */
	http_server_config cfg = serve_http_config(o, trusted, &ap);
	http_server *srv = NULL, *msrv = NULL;
	status st = http_server_start(&cfg, &srv, err, sizeof(err));
	if (st != STATUS_OK)
		fprintf(stderr, "bookd serve: %s\n", err);
	atomic_store(&ap.server, srv);
	app mapp = ap;
	if (st != STATUS_OK || !serve_metrics_start(o, &mapp, &msrv)) {
		password_pool_stop();
		http_server_stop(srv, 0);
		live_listen_stop(d);
		db_close(d);
		metrics_shutdown();
		proxy_list_free(trusted);
		return st == STATUS_INVALID ? 2 : 1;
	}
	db_checkpoint_in_background(d); /* the jobs worker checkpoints every second */
	jobs_start(d, 1000, live_job_changed, NULL);
	book_writer_start(d); /* SQLite only: group commit of booking writes */
	notify_start(d, &ncfg, 1000);
	calsync_start(d, 1000, live_calendar_changed, NULL);
	pay_worker_start(d, &o->pay, 1000);
	webhook_worker_start(d, 1000);
	serve_announce(o, &ap, &cfg, srv);

	serve_wait(sigs);
	password_pool_stop(); /* waiting hashes answer 503: no request stays parked */
	http_server_stop(msrv, 1000);
	http_server_stop(srv, 10000);
	jobs_stop();
	notify_stop();
	calsync_stop();
	pay_worker_stop();
	webhook_worker_stop();
	book_writer_stop();
	live_listen_stop(d);
	db_close(d);
	metrics_shutdown();
	proxy_list_free(trusted);
	sealed_forget();
	return 0;
}

int cmd_serve(int argc, char **argv)
{
	serve_opts o = {0};
	int code = 0;
	if (serve_flags(argc, argv, &o, &code))
		code = serve_check(&o);
	else if (code == 0) /* --help */
		return 0;
	if (code != 0) {
		free(o.public_default);
		return code;
	}
	/* glibc gives each thread that contends a heap of its own (up to 8 per core), and each
	 * keeps what was freed into it: with request and query memory in per-thread arenas
	 * (base/arena.c), two heaps are enough and keep the resident size bounded. */
	mallopt(M_ARENA_MAX, SERVE_MALLOC_ARENAS);
	avail_cache_set_limit(o.cache_bytes);
	/* Signals are taken by sigwait; block them before any thread starts. */
	sigset_t sigs;
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	signal(SIGPIPE, SIG_IGN);
	code = serve_run(&o, &sigs);
	auth_shutdown();
	tls_stop();
	free(o.public_default);
	if (code == 0)
		log_info("stopped cleanly");
	return code;
}
