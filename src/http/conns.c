/* conns.c - connection records by descriptor, counts by address in an open-addressing
 * table, and the reaper that cuts requests past their deadline. */
#include "http/conns.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "base/clock.h"
#include "base/log.h"
#include "base/xalloc.h"

#define CONNS_TICK_MS 100 /* how often the reaper looks */
#define CONNS_FDS_MAX (1 << 22) /* descriptors tracked at most, whatever the limit says */
#define CONNS_WARN_EVERY_NS (10 * INT64_C(1000000000))

/* A connection's stage, for its deadline: IDLE until a request line arrives (a keep-alive
 * connection between requests, or a new one), HEAD until the whole head has. */
enum { CONNS_IDLE, CONNS_HEAD, CONNS_BODY, CONNS_BUSY };

struct conns_conn {
	conns_conn *prev, *next;  /* the tracker's list of every record */
	int fd;                   /* its socket */
	unsigned char key[16];    /* its address (IPv6 masked to /64) */
	unsigned char skey[16];   /* its stream's client address, when has_stream */
	bool exempt;              /* from a trusted proxy: no per-address cap */
	bool started;             /* its daemon took it in: the fd is its until conns_closed */
	bool has_stream;          /* counted as an event stream */
	bool cut;                 /* the reaper cut it already */
	int stage;                /* CONNS_IDLE, CONNS_HEAD, CONNS_BODY or CONNS_BUSY */
	int64_t deadline_ns;      /* monotonic; for HEAD and BODY */
	void *lane;               /* the daemon it is on (conns_lane) */
};

/* One address's counts; key all zero with both counts zero marks an empty slot. */
typedef struct conns_addr {
	unsigned char key[16];
	int conns;   /* connections from it */
	int streams; /* event streams of it */
	bool used;   /* slot holds an address */
} conns_addr;

struct conns {
	pthread_mutex_t lock;     /* guards everything below */
	conns_config cfg;         /* copied at start */
	conns_conn **by_fd;       /* records by descriptor */
	size_t nfds;              /* entries in by_fd */
	conns_conn *head;         /* every record */
	conns_addr *addrs;        /* open addressing, linear probing */
	size_t mask;              /* slots in addrs - 1 */
	int open;                 /* records */
	int streams;              /* event streams counted */
	int64_t refused, cut;     /* since start */
	int64_t evicted;          /* idle connections closed to make room, since start */
	int64_t idle_closed;      /* connections closed for beginning no request in time */
	int64_t evict_window_ns;  /* start of the second evictions are counted in */
	int evict_in_window;      /* evictions in it */
	int64_t cut_logged;       /* cut when last logged */
	int64_t warned_ns;        /* when the reaper last logged */
	bool running;             /* the reaper should run */
	pthread_cond_t wake;      /* wakes the reaper to stop */
	pthread_t reaper;
};

void conns_send_problem(const conns *c, int fd, int code, const char *detail, int retry_after_s)
{
	if (c->cfg.tls)
		return;
	const char *title = code == 408   ? "Request Timeout"
			    : code == 429 ? "Too Many Requests"
					  : "Service Unavailable";
	const char *type = code == 408 ? "invalid" : "busy";
	char body[512], head[256], retry[64] = "";
	int bl = snprintf(body, sizeof(body),
			  "{\"type\":\"/problems/%s\",\"title\":\"%s\",\"status\":%d,\"detail\":\"%s\"}",
			  type, title, code, detail);
	if (bl < 0 || (size_t)bl >= sizeof(body))
		return;
	if (retry_after_s > 0)
		snprintf(retry, sizeof(retry), "Retry-After: %d\r\n", retry_after_s);
	int hl = snprintf(head, sizeof(head),
			  "HTTP/1.1 %d %s\r\nConnection: close\r\n%s"
			  "Content-Type: application/problem+json\r\nContent-Length: %d\r\n\r\n",
			  code, title, retry, bl);
	if (hl < 0 || (size_t)hl >= sizeof(head))
		return;
	struct iovec iov[2] = {{head, (size_t)hl}, {body, (size_t)bl}};
	struct msghdr m = {.msg_iov = iov, .msg_iovlen = 2};
	ssize_t w = sendmsg(fd, &m, MSG_DONTWAIT | MSG_NOSIGNAL);
	(void)w; /* best effort: a client that cannot take 300 bytes is gone anyway */
}

static void key_of(const struct sockaddr *sa, unsigned char key[16])
{
	memset(key, 0, 16);
	if (sa && sa->sa_family == AF_INET) {
		key[10] = key[11] = 0xff;
		memcpy(key + 12, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, 4);
	} else if (sa && sa->sa_family == AF_INET6) {
		memcpy(key, ((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr.s6_addr, 16);
		static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
		if (memcmp(key, mapped, 12) != 0)
			memset(key + 8, 0, 8); /* one /64 */
	}
}

static void key_of_text(const char *addr, unsigned char key[16])
{
	struct sockaddr_in v4 = {.sin_family = AF_INET};
	struct sockaddr_in6 v6 = {.sin6_family = AF_INET6};
	if (addr && inet_pton(AF_INET, addr, &v4.sin_addr) == 1)
		key_of((const struct sockaddr *)&v4, key);
	else if (addr && inet_pton(AF_INET6, addr, &v6.sin6_addr) == 1)
		key_of((const struct sockaddr *)&v6, key);
	else
		memset(key, 0, 16);
}

static size_t key_hash(const unsigned char key[16])
{
	uint64_t h = 1469598103934665603ULL;
	for (int i = 0; i < 16; i++) {
		h ^= key[i];
		h *= 1099511628211ULL;
	}
	return (size_t)(h ^ (h >> 29));
}

/* The slot of key, added when absent. Caller holds the lock. The table has room: it holds
 * at most one address per connection and per stream, and is sized for twice that. */
static conns_addr *addr_get(conns *c, const unsigned char key[16])
{
	size_t i = key_hash(key) & c->mask;
	while (c->addrs[i].used) {
		if (memcmp(c->addrs[i].key, key, 16) == 0)
			return &c->addrs[i];
		i = (i + 1) & c->mask;
	}
	c->addrs[i].used = true;
	memcpy(c->addrs[i].key, key, 16);
	c->addrs[i].conns = c->addrs[i].streams = 0;
	return &c->addrs[i];
}

/* Empties a slot that counts nothing any more, shifting later entries of its probe run back
 * (no tombstones). Caller holds the lock. */
static void addr_release(conns *c, conns_addr *a)
{
	if (a->conns > 0 || a->streams > 0)
		return;
	size_t i = (size_t)(a - c->addrs);
	a->used = false;
	for (size_t j = (i + 1) & c->mask; c->addrs[j].used; j = (j + 1) & c->mask) {
		size_t home = key_hash(c->addrs[j].key) & c->mask;
		/* Move j back to i when its home lies cyclically outside (i, j]. */
		bool move = i <= j ? (home <= i || home > j) : (home <= i && home > j);
		if (move) {
			c->addrs[i] = c->addrs[j];
			c->addrs[j].used = false;
			i = j;
		}
	}
}

static void record_remove(conns *c, conns_conn *k)
{
	if (k->prev)
		k->prev->next = k->next;
	else
		c->head = k->next;
	if (k->next)
		k->next->prev = k->prev;
	if (k->fd >= 0 && (size_t)k->fd < c->nfds && c->by_fd[k->fd] == k)
		c->by_fd[k->fd] = NULL;
	conns_addr *a = addr_get(c, k->key);
	a->conns--;
	addr_release(c, a);
	if (k->has_stream) {
		conns_addr *s = addr_get(c, k->skey);
		s->streams--;
		c->streams--;
		addr_release(c, s);
	}
	c->open--;
	free(k);
}

static void *reaper_main(void *arg)
{
	conns *c = arg;
	pthread_mutex_lock(&c->lock);
	while (c->running) {
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_nsec += CONNS_TICK_MS * 1000000L;
		if (until.tv_nsec >= 1000000000L) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&c->wake, &c->lock, &until);
		if (!c->running)
			break;
		int64_t now = clock_mono_ns();
		for (conns_conn *k = c->head; k; k = k->next) {
			if (!k->started || k->cut || k->stage == CONNS_BUSY || now < k->deadline_ns)
				continue;
			/* The daemon is reading, not writing: the answer cannot interleave with one of
			 * its own. Shutting the socket down makes its thread see the end and close it
			 * (the record is freed then, under this lock, before the descriptor is). A
			 * connection that began no request is closed without a word: a 408 there would
			 * be read by its client as the answer to the next request it sends. */
			if (k->stage == CONNS_IDLE) {
				c->idle_closed++;
			} else {
				conns_send_problem(c, k->fd, 408, "the request took too long to arrive",
						   0);
				c->cut++;
			}
			shutdown(k->fd, SHUT_RDWR);
			k->cut = true;
		}
		if (c->cut > c->cut_logged && now - c->warned_ns >= CONNS_WARN_EVERY_NS) {
			log_warn("http: cut %lld connections whose request took too long to arrive "
				 "(head %d ms, body %d ms)",
				 (long long)(c->cut - c->cut_logged), c->cfg.head_ms, c->cfg.body_ms);
			c->cut_logged = c->cut;
			c->warned_ns = now;
		}
	}
	pthread_mutex_unlock(&c->lock);
	return NULL;
}

conns *conns_new(const conns_config *cfg)
{
	conns *c = xcalloc(1, sizeof(*c));
	c->cfg = *cfg;
	pthread_mutex_init(&c->lock, NULL);
	pthread_cond_init(&c->wake, NULL);
	struct rlimit rl;
	c->nfds = CONNS_FDS_MAX;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY &&
	    rl.rlim_cur < CONNS_FDS_MAX)
		c->nfds = (size_t)rl.rlim_cur;
	c->by_fd = xcalloc(c->nfds, sizeof(*c->by_fd));
	size_t slots = 64;
	while (slots < 4 * (size_t)(cfg->max_total + cfg->streams_total))
		slots *= 2;
	c->addrs = xcalloc(slots, sizeof(*c->addrs));
	c->mask = slots - 1;
	c->running = true;
	if (pthread_create(&c->reaper, NULL, reaper_main, c) == 0)
		pthread_setname_np(c->reaper, "http-reaper");
	else
		c->running = false;
	return c;
}

void conns_free(conns *c)
{
	if (!c)
		return;
	pthread_mutex_lock(&c->lock);
	bool joined = c->running;
	c->running = false;
	pthread_cond_broadcast(&c->wake);
	pthread_mutex_unlock(&c->lock);
	if (joined)
		pthread_join(c->reaper, NULL);
	while (c->head) {
		conns_conn *k = c->head;
		c->head = k->next;
		free(k);
	}
	free(c->by_fd);
	free(c->addrs);
	pthread_cond_destroy(&c->wake);
	pthread_mutex_destroy(&c->lock);
	free(c);
}

/* The server is full and an address holding few connections knocks: closes one connection
 * that waits for a request (idle keep-alive, or a head still arriving) of the address that
 * holds the most, if it holds more than `newcomer` + 1, so the newcomer gets its place. At
 * most CONNS_EVICT_PER_S a second, so a flood of newcomers costs a bounded scan. The record
 * stays until its thread sees the end and closes it. Caller holds the lock. */
static bool evict_one(conns *c, int newcomer)
{
	int64_t now = clock_mono_ns();
	if (now - c->evict_window_ns >= INT64_C(1000000000)) {
		c->evict_window_ns = now;
		c->evict_in_window = 0;
	}
	if (c->evict_in_window >= CONNS_EVICT_PER_S)
		return false;
	conns_conn *victim = NULL;
	int most = newcomer + 1;
	for (conns_conn *k = c->head; k; k = k->next) {
		if (!k->started || k->cut || (k->stage != CONNS_IDLE && k->stage != CONNS_HEAD))
			continue;
		int n = addr_get(c, k->key)->conns;
		if (n > most) {
			most = n;
			victim = k;
		}
	}
	if (!victim)
		return false;
	c->evict_in_window++;
	shutdown(victim->fd, SHUT_RDWR); /* as an idle keep-alive connection may be closed */
	victim->cut = true;
	c->evicted++;
	return true;
}

conns_verdict conns_admit(conns *c, int fd, const struct sockaddr *sa)
{
	unsigned char key[16];
	key_of(sa, key);
	bool exempt = proxy_trusted(c->cfg.trusted, sa);
	pthread_mutex_lock(&c->lock);
	if (fd < 0 || (size_t)fd >= c->nfds) {
		c->refused++;
		pthread_mutex_unlock(&c->lock);
		return CONNS_ALL_FULL;
	}
	if (c->by_fd[fd]) /* a socket its daemon dropped unseen: this descriptor is new */
		record_remove(c, c->by_fd[fd]);
	conns_addr *a = addr_get(c, key);
	conns_verdict v = CONNS_OK;
	int reserve = c->cfg.max_total / CONNS_RESERVE_SHARE;
	if (!exempt && a->conns >= c->cfg.max_per_addr)
		v = CONNS_ADDR_FULL;
	else if (c->open >= c->cfg.max_total - reserve && a->conns >= CONNS_RESERVE_FEW)
		v = CONNS_ALL_FULL;
	else if (c->open >= c->cfg.max_total && !evict_one(c, a->conns))
		v = CONNS_ALL_FULL;
	if (v != CONNS_OK) {
		addr_release(c, a);
		c->refused++;
		pthread_mutex_unlock(&c->lock);
		return v;
	}
	conns_conn *k = xcalloc(1, sizeof(*k));
	k->fd = fd;
	memcpy(k->key, key, 16);
	k->exempt = exempt;
	k->stage = CONNS_IDLE;
	k->deadline_ns = clock_mono_ns() + (int64_t)c->cfg.head_ms * 1000000;
	k->next = c->head;
	if (c->head)
		c->head->prev = k;
	c->head = k;
	c->by_fd[fd] = k;
	a->conns++;
	c->open++;
	pthread_mutex_unlock(&c->lock);
	return CONNS_OK;
}

void conns_forget(conns *c, int fd)
{
	pthread_mutex_lock(&c->lock);
	if (fd >= 0 && (size_t)fd < c->nfds && c->by_fd[fd] && !c->by_fd[fd]->started)
		record_remove(c, c->by_fd[fd]);
	pthread_mutex_unlock(&c->lock);
}

conns_conn *conns_started(conns *c, int fd, void *lane)
{
	pthread_mutex_lock(&c->lock);
	conns_conn *k = fd >= 0 && (size_t)fd < c->nfds ? c->by_fd[fd] : NULL;
	if (k) {
		k->started = true;
		k->lane = lane;
	}
	pthread_mutex_unlock(&c->lock);
	return k;
}

void conns_closed(conns *c, conns_conn *k)
{
	if (!k)
		return;
	pthread_mutex_lock(&c->lock);
	record_remove(c, k);
	pthread_mutex_unlock(&c->lock);
}

void *conns_lane(const conns_conn *k)
{
	return k ? k->lane : NULL;
}

static void stage_set(conns *c, conns_conn *k, int stage, int ms)
{
	if (!k)
		return;
	pthread_mutex_lock(&c->lock);
	k->stage = stage;
	k->deadline_ns = clock_mono_ns() + (int64_t)ms * 1000000;
	pthread_mutex_unlock(&c->lock);
}

void conns_head_begun(conns *c, conns_conn *k)
{
	if (!k)
		return;
	pthread_mutex_lock(&c->lock);
	if (k->stage == CONNS_IDLE)
		k->stage = CONNS_HEAD; /* the deadline stays: the head counts from the idle start */
	pthread_mutex_unlock(&c->lock);
}

void conns_head_done(conns *c, conns_conn *k)
{
	stage_set(c, k, CONNS_BODY, c->cfg.body_ms);
}

void conns_body_done(conns *c, conns_conn *k)
{
	stage_set(c, k, CONNS_BUSY, 0);
}

void conns_answered(conns *c, conns_conn *k)
{
	stage_set(c, k, CONNS_IDLE, c->cfg.head_ms);
}

conns_verdict conns_stream_open(conns *c, conns_conn *k, const char *client_addr)
{
	unsigned char key[16];
	key_of_text(client_addr, key);
	pthread_mutex_lock(&c->lock);
	conns_verdict v = CONNS_OK;
	conns_addr *a = addr_get(c, key);
	if (k && k->has_stream)
		v = CONNS_OK; /* counted already */
	else if (c->streams >= c->cfg.streams_total)
		v = CONNS_ALL_FULL;
	else if (a->streams >= c->cfg.streams_per_addr)
		v = CONNS_ADDR_FULL;
	else if (k) {
		k->has_stream = true;
		memcpy(k->skey, key, 16);
		a->streams++;
		c->streams++;
	}
	addr_release(c, a);
	pthread_mutex_unlock(&c->lock);
	return v;
}

conns_stats conns_stats_now(conns *c)
{
	pthread_mutex_lock(&c->lock);
	conns_stats s = {.open = c->open, .streams = c->streams, .refused = c->refused,
			 .cut = c->cut, .evicted = c->evicted};
	pthread_mutex_unlock(&c->lock);
	return s;
}
