/* testclock.c - POST /api/v1/test/clock {"now": INSTANT}: moves the held test clock.
 * The route exists only when the server started with --test-clock. */
#include <string.h>

#include "api/common.h"
#include "api/handlers.h"
#include "base/civil.h"
#include "core/tz.h"
#include "base/clock.h"
#include "base/log.h"
#include "jobs/calsync_worker.h"
#include "jobs/jobs.h"
#include "jobs/notify_worker.h"
#include "jobs/pay_worker.h"
#include "jobs/webhook_worker.h"

void testclock_post(http_req *r)
{
	json_t *body = http_body_json(r);
	if (!body)
		return;
	const char *now = json_string_value(json_object_get(body, "now")); /* borrowed */
	int64_t t;
	if (!now || !tz_parse_rfc3339(now, strlen(now), &t)) {
		http_field_error_add(r, "now", "must be an RFC 3339 instant with an offset");
		json_decref(body);
		http_problem(r, STATUS_INVALID, "invalid clock");
		return;
	}
	clock_test_set(t);
	jobs_kick(); /* every rule about time sees the new "now" at once */
	notify_kick_clock();
	calsync_kick();
	pay_worker_kick();
	webhook_worker_kick();
	log_warn("test clock moved to %s", now);
	json_decref(body); /* now pointed into it */
	http_json_take(r, 200, json_pack("{s:I}", "now_epoch", (json_int_t)t));
}
