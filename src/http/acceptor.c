/* acceptor.c - one thread: poll the listening socket, accept, hand each connection to the
 * least loaded lane that is not busy. */
#include "http/acceptor.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "base/clock.h"
#include "base/log.h"
#include "base/xalloc.h"

#define ACCEPTOR_BACKLOG 1024
#define ACCEPTOR_FULL_WAIT_MS 50 /* out of descriptors: wait before trying again */
#define ACCEPTOR_WARN_EVERY_NS (10 * INT64_C(1000000000)) /* and say so this often at most */

struct acceptor {
	int fd;                  /* the listening socket (non-blocking) */
	int wake[2];             /* a pipe: acceptor_stop writes to wake[1] */
	acceptor_lane *lanes;    /* where connections go (borrowed) */
	int n;                   /* entries in lanes */
	int next;                /* where the search for the least loaded starts: ties rotate */
	int lane_limit;          /* connections per lane at most, open and pending */
	conns *tracker;          /* admits or refuses each new connection (borrowed) */
	pthread_t thread;        /* "http-accept" */
	int64_t warned_ns;       /* when the acceptor last logged a warning */
};

status acceptor_listen(const struct sockaddr *sa, socklen_t sl, int *fd_out, unsigned *port_out,
		       char *err, size_t errlen)
{
	int fd = socket(sa->sa_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0) {
		snprintf(err, errlen, "socket: %s", strerror(errno));
		return STATUS_IO;
	}
	int on = 1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
	/* Another bookd may listen on the same port (a new one started before the old one
	 * stops, or several on one PostgreSQL database): the kernel shares connections out. */
	setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &on, sizeof(on));
	if (sa->sa_family == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof(on));
	struct sockaddr_storage bound;
	socklen_t bl = sizeof(bound);
	if (bind(fd, sa, sl) != 0 || listen(fd, ACCEPTOR_BACKLOG) != 0 ||
	    getsockname(fd, (struct sockaddr *)&bound, &bl) != 0) {
		snprintf(err, errlen, "%s", strerror(errno));
		close(fd);
		return STATUS_IO;
	}
	*port_out = bound.ss_family == AF_INET6
			    ? ntohs(((struct sockaddr_in6 *)&bound)->sin6_port)
			    : ntohs(((struct sockaddr_in *)&bound)->sin_port);
	*fd_out = fd;
	return STATUS_OK;
}

void acceptor_count(void *lane, struct MHD_Connection *c, void **socket_context,
		    enum MHD_ConnectionNotificationCode code)
{
	acceptor_lane *l = lane;
	if (code == MHD_CONNECTION_NOTIFY_STARTED) {
		atomic_fetch_add(&l->open, 1);
		atomic_fetch_sub(&l->pending, 1);
		const union MHD_ConnectionInfo *ci =
			MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
		*socket_context = ci ? conns_started(l->tracker, ci->connect_fd, l) : NULL;
	} else if (code == MHD_CONNECTION_NOTIFY_CLOSED) {
		atomic_fetch_sub(&l->open, 1);
		conns_closed(l->tracker, *socket_context);
		*socket_context = NULL;
	}
}

conns_conn *acceptor_conn_of(struct MHD_Connection *c)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	return ci ? ci->socket_context : NULL;
}

acceptor_lane *acceptor_lane_of(struct MHD_Connection *c)
{
	return conns_lane(acceptor_conn_of(c));
}

void acceptor_lane_busy(acceptor_lane *l, bool busy)
{
	if (l)
		atomic_store(&l->busy, busy);
}

/* The lane to place a connection on: not busy before busy, then the fewest connections
 * (open or on their way), ties rotating; NULL when every lane has lane_limit. */
static acceptor_lane *least_loaded(acceptor *a)
{
	acceptor_lane *best = NULL;
	int best_n = 0;
	bool best_busy = false;
	for (int k = 0; k < a->n; k++) {
		acceptor_lane *l = &a->lanes[(a->next + k) % a->n];
		int n = atomic_load(&l->open) + atomic_load(&l->pending);
		bool busy = atomic_load(&l->busy);
		if (n >= a->lane_limit)
			continue;
		if (!best || (best_busy && !busy) || (best_busy == busy && n < best_n)) {
			best = l;
			best_n = n;
			best_busy = busy;
		}
	}
	a->next = (a->next + 1) % a->n;
	return best;
}

/* Logs msg unless a warning went out in the last ACCEPTOR_WARN_EVERY_NS. */
static void warn_now_and_then(acceptor *a, const char *msg)
{
	int64_t now = clock_mono_ns();
	if (now - a->warned_ns >= ACCEPTOR_WARN_EVERY_NS) {
		log_warn("%s", msg);
		a->warned_ns = now;
	}
}

/* Answers a connection that gets no room and closes it: 429 when its address holds its
 * most connections, 503 when the server does. */
static void refuse(acceptor *a, int fd, conns_verdict v)
{
	if (v == CONNS_ADDR_FULL) {
		conns_send_problem(a->tracker, fd, 429, "too many connections from this address", 5);
		warn_now_and_then(a, "http: an address holds its most connections; refusing more");
	} else {
		conns_send_problem(a->tracker, fd, 503, "the server holds its most connections", 5);
		warn_now_and_then(a, "http: the server holds its most connections; refusing more");
	}
	/* Half-close first, so the answer goes out ahead of the end of the connection. */
	shutdown(fd, SHUT_WR);
	close(fd);
}

/* Accepts every connection waiting, handing each to the least loaded lane. */
static void accept_waiting(acceptor *a)
{
	for (;;) {
		struct sockaddr_storage ss;
		socklen_t sl = sizeof(ss);
		int c = accept4(a->fd, (struct sockaddr *)&ss, &sl, SOCK_CLOEXEC);
		if (c >= 0) {
			conns_verdict v = conns_admit(a->tracker, c, (struct sockaddr *)&ss);
			if (v != CONNS_OK) {
				refuse(a, c, v);
				continue;
			}
			acceptor_lane *l = least_loaded(a);
			if (!l) {
				conns_forget(a->tracker, c);
				refuse(a, c, CONNS_ALL_FULL);
				continue;
			}
			atomic_fetch_add(&l->pending, 1); /* until its thread takes it in */
			if (MHD_add_connection(l->d, c, (struct sockaddr *)&ss, sl) != MHD_YES) {
				/* The daemon has closed the socket already. */
				atomic_fetch_sub(&l->pending, 1);
				conns_forget(a->tracker, c);
				log_warn("http: a connection was refused: %s", strerror(errno));
			}
			continue;
		}
		/* The connection's own failures (accept(2) passes pending network errors on):
		 * the next one may be fine. */
		if (errno == EINTR || errno == ECONNABORTED || errno == EPROTO ||
		    errno == ENETDOWN || errno == ENOPROTOOPT || errno == EHOSTDOWN ||
		    errno == ENONET || errno == EHOSTUNREACH || errno == EOPNOTSUPP ||
		    errno == ENETUNREACH)
			continue;
		if (errno != EAGAIN && errno != EWOULDBLOCK) {
			/* Out of descriptors or memory: say so now and then, and wait a little
			 * rather than spin on a socket that stays readable. */
			char msg[128];
			snprintf(msg, sizeof(msg), "http: cannot accept: %s", strerror(errno));
			warn_now_and_then(a, msg);
			poll(NULL, 0, ACCEPTOR_FULL_WAIT_MS);
		}
		return;
	}
}

static void *acceptor_main(void *arg)
{
	acceptor *a = arg;
	struct pollfd fds[2] = {{.fd = a->fd, .events = POLLIN}, {.fd = a->wake[0], .events = POLLIN}};
	for (;;) {
		if (poll(fds, 2, -1) < 0) {
			if (errno != EINTR) {
				log_warn("http: poll on the listening socket: %s", strerror(errno));
				poll(NULL, 0, ACCEPTOR_FULL_WAIT_MS);
			}
			continue;
		}
		if (fds[1].revents)
			break;
		if (fds[0].revents)
			accept_waiting(a);
	}
	return NULL;
}

status acceptor_start(int fd, acceptor_lane *lanes, int n, int lane_limit, conns *tracker,
		      acceptor **out, char *err, size_t errlen)
{
	acceptor *a = xcalloc(1, sizeof(*a));
	a->tracker = tracker;
	a->fd = fd;
	a->lanes = lanes;
	a->n = n;
	a->lane_limit = lane_limit;
	if (pipe2(a->wake, O_CLOEXEC) != 0) {
		snprintf(err, errlen, "pipe: %s", strerror(errno));
		close(fd);
		free(a);
		return STATUS_IO;
	}
	int rc = pthread_create(&a->thread, NULL, acceptor_main, a);
	if (rc != 0) {
		snprintf(err, errlen, "cannot start the accepting thread: %s", strerror(rc));
		close(a->wake[0]);
		close(a->wake[1]);
		close(fd);
		free(a);
		return STATUS_IO;
	}
	pthread_setname_np(a->thread, "http-accept");
	*out = a;
	return STATUS_OK;
}

void acceptor_stop(acceptor *a)
{
	if (!a)
		return;
	char one = 1;
	while (write(a->wake[1], &one, 1) < 0 && errno == EINTR)
		;
	pthread_join(a->thread, NULL);
	close(a->fd);
	close(a->wake[0]);
	close(a->wake[1]);
	free(a);
}
