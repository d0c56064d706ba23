/* acceptor.h - the listening socket and the thread that accepts on it, handing each new
 * connection to a daemon (one libmicrohttpd daemon per HTTP thread, a "lane"): one whose
 * thread is not running a handler right now (a request waiting on the database holds its
 * thread, and every connection on it waits too) and, among those, the one with the fewest
 * connections, counting those handed over that its thread has not taken in yet.
 *
 * Why not let libmicrohttpd listen with a thread pool: each pool thread accepts up to ten
 * connections per wake-up and keeps them for their whole life, so a client opening many
 * keep-alive connections at once (a proxy, a load test) could find them all on two threads,
 * served one request at a time while the other threads idle. A pool fed from outside
 * (MHD_add_connection) places connections by socket number, which clumps just as well when
 * other descriptors interleave. */
#ifndef BOOKD_HTTP_ACCEPTOR_H
#define BOOKD_HTTP_ACCEPTOR_H

#include <microhttpd.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>

#include "base/status.h"
#include "http/conns.h"

typedef struct acceptor acceptor;

/* One daemon connections are placed on, how many connections it has and whether its
 * thread is busy. */
typedef struct acceptor_lane {
	struct MHD_Daemon *d;
	atomic_int open;    /* taken in by the lane's thread and not yet closed */
	atomic_int pending; /* handed over, not yet taken in (its thread may be busy) */
	atomic_bool busy;   /* its thread is running a handler */
	conns *tracker;     /* the server's connection tracker (borrowed) */
} acceptor_lane;

/* MHD_OPTION_NOTIFY_CONNECTION callback, with the lane as its argument: keeps the counts,
 * and makes the connection's record in the tracker its socket context (see
 * acceptor_conn_of), freeing the record when the connection closes. */
void acceptor_count(void *lane, struct MHD_Connection *c, void **socket_context,
		    enum MHD_ConnectionNotificationCode code);

/* The lane a connection was placed on (NULL for one the acceptor did not place). */
acceptor_lane *acceptor_lane_of(struct MHD_Connection *c);
/* The connection's record in the tracker (NULL for one the acceptor did not place). Valid
 * until the connection closes; for the connection's own thread. */
conns_conn *acceptor_conn_of(struct MHD_Connection *c);

/* Marks the lane's thread as running a handler (busy) or done with it; NULL is a no-op.
 * Called by the lane's own thread around each handler. */
void acceptor_lane_busy(acceptor_lane *l, bool busy);

/* Binds and listens on sa (SO_REUSEADDR and SO_REUSEPORT, as libmicrohttpd did); *port_out
 * is the port bound (useful with port 0). */
status acceptor_listen(const struct sockaddr *sa, socklen_t sl, int *fd_out, unsigned *port_out,
		       char *err, size_t errlen);

/* Starts accepting on fd (owned from now on), placing each connection on one of the n lanes
 * as above (the lanes are borrowed until acceptor_stop). Each new connection is first put
 * to the lanes' tracker (conns_admit): one refused there gets its 429 or 503 and is closed
 * at once. A lane is given at most
 * lane_limit connections (open and pending); when every lane is full a new connection is
 * closed at once. Each lane's daemon must allow a few more than lane_limit, so that the
 * acceptor's limit is the one that applies: a connection the daemon dropped before taking
 * it in would stay counted as pending. */
status acceptor_start(int fd, acceptor_lane *lanes, int n, int lane_limit, conns *tracker,
		      acceptor **out, char *err, size_t errlen);

/* Stops accepting and closes the listening socket; connections already handed over stay
 * with the daemon. NULL is a no-op. */
void acceptor_stop(acceptor *a);

#endif
