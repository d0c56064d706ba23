/* sse.c - the event-stream hub: subscribers per topic, suspended while idle. */
#include "http/sse.h"

#include <microhttpd.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/log.h"
#include "base/xalloc.h"

#define SSE_QUEUE_MAX (256u << 10) /* a client this far behind is dropped */

typedef struct sse_sub {
	struct sse_sub *prev, *next;  /* the hub's list */
	char *topic;                  /* owned */
	struct MHD_Connection *conn;  /* its connection, for suspend/resume */
	buf queue;                    /* bytes not yet handed to libmicrohttpd */
	bool suspended;               /* suspended by the reader, waiting for data */
	bool closing;                 /* end the stream once the queue is sent */
} sse_sub;

static pthread_mutex_t sse_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t sse_wake = PTHREAD_COND_INITIALIZER;
static sse_sub *sse_head;       /* every live stream */
static size_t sse_n;            /* how many */
static bool sse_running;        /* the keep-alive thread should run */
static bool sse_started;        /* the thread exists */
static int sse_keepalive_ms;    /* its interval */
static pthread_t sse_thread;

/* Caller holds sse_lock. */
static void sse_resume_locked(sse_sub *s)
{
	if (s->suspended) {
		s->suspended = false;
		MHD_resume_connection(s->conn);
	}
}

static void sse_push_locked(sse_sub *s, const char *text)
{
	if (s->closing)
		return;
	if (buf_adds(&s->queue, text) != STATUS_OK) {
		s->closing = true; /* too slow a reader: end its stream, it will reconnect */
		log_warn("sse: dropping a stream on %s that fell %u bytes behind", s->topic,
			 SSE_QUEUE_MAX);
	}
	sse_resume_locked(s);
}

static ssize_t sse_reader(void *cls, uint64_t pos, char *out, size_t max)
{
	sse_sub *s = cls;
	(void)pos;
	pthread_mutex_lock(&sse_lock);
	ssize_t n = 0;
	if (s->queue.len > 0) {
		size_t k = s->queue.len < max ? s->queue.len : max;
		memcpy(out, s->queue.data, k);
		memmove(s->queue.data, s->queue.data + k, s->queue.len - k);
		s->queue.len -= k;
		s->queue.data[s->queue.len] = '\0';
		n = (ssize_t)k;
	} else if (s->closing) {
		n = MHD_CONTENT_READER_END_OF_STREAM;
	} else {
		/* Nothing to send: park the connection until a publish resumes it. */
		s->suspended = true;
		MHD_suspend_connection(s->conn);
	}
	pthread_mutex_unlock(&sse_lock);
	return n;
}

static void sse_free(void *cls)
{
	sse_sub *s = cls;
	pthread_mutex_lock(&sse_lock);
	if (s->prev)
		s->prev->next = s->next;
	else
		sse_head = s->next;
	if (s->next)
		s->next->prev = s->prev;
	sse_n--;
	pthread_mutex_unlock(&sse_lock);
	buf_free(&s->queue);
	free(s->topic);
	free(s);
}

void sse_subscribe(http_req *r, const char *topic)
{
	r->code = 200;
	r->stream_topic = arena_strdup(r->arena, topic);
}

struct MHD_Response *sse_response(http_req *r)
{
	sse_sub *s = xcalloc(1, sizeof(*s));
	s->topic = xstrdup(r->stream_topic);
	s->conn = r->conn;
	buf_init(&s->queue, SSE_QUEUE_MAX);
	buf_adds(&s->queue, "retry: 2000\n: connected\n\n");
	struct MHD_Response *resp =
		MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 4096, sse_reader, s, sse_free);
	if (!resp) {
		buf_free(&s->queue);
		free(s->topic);
		free(s);
		return NULL;
	}
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, "text/event-stream");
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
	MHD_add_response_header(resp, "X-Accel-Buffering", "no");
	pthread_mutex_lock(&sse_lock);
	s->next = sse_head;
	if (sse_head)
		sse_head->prev = s;
	sse_head = s;
	sse_n++;
	pthread_mutex_unlock(&sse_lock);
	return resp;
}

void sse_publish(const char *topic, const char *event, const char *data)
{
	buf msg;
	buf_init(&msg, 16384);
	if (buf_printf(&msg, "event: %s\ndata: %s\n\n", event, data) != STATUS_OK ||
	    strchr(data, '\n')) {
		buf_free(&msg);
		return;
	}
	pthread_mutex_lock(&sse_lock);
	for (sse_sub *s = sse_head; s; s = s->next)
		if (strcmp(s->topic, topic) == 0)
			sse_push_locked(s, msg.data);
	pthread_mutex_unlock(&sse_lock);
	buf_free(&msg);
}

size_t sse_count(void)
{
	pthread_mutex_lock(&sse_lock);
	size_t n = sse_n;
	pthread_mutex_unlock(&sse_lock);
	return n;
}

static void *sse_keepalive(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&sse_lock);
	while (sse_running) {
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += sse_keepalive_ms / 1000;
		until.tv_nsec += (long)(sse_keepalive_ms % 1000) * 1000000L;
		if (until.tv_nsec >= 1000000000L) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&sse_wake, &sse_lock, &until);
		if (!sse_running)
			break;
		for (sse_sub *s = sse_head; s; s = s->next)
			sse_push_locked(s, ": keep-alive\n\n");
	}
	pthread_mutex_unlock(&sse_lock);
	return NULL;
}

void sse_start(int keepalive_ms)
{
	sse_keepalive_ms = keepalive_ms > 0 ? keepalive_ms : 15000;
	sse_running = true;
	sse_started = pthread_create(&sse_thread, NULL, sse_keepalive, NULL) == 0;
	if (sse_started)
		pthread_setname_np(sse_thread, "sse-keepalive");
}

void sse_stop(void)
{
	pthread_mutex_lock(&sse_lock);
	sse_running = false;
	for (sse_sub *s = sse_head; s; s = s->next) {
		s->closing = true;
		sse_resume_locked(s);
	}
	pthread_cond_broadcast(&sse_wake);
	pthread_mutex_unlock(&sse_lock);
	if (sse_started)
		pthread_join(sse_thread, NULL);
	sse_started = false;
}
