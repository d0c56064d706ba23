/* acceptor.h - the listening socket and the thread that accepts on it, handing each new
 * connection to the daemon (one libmicrohttpd daemon per HTTP thread, a "lane") that has
 * the fewest, counting those handed over that its thread has not taken in yet: a thread
 * held by a slow request is not handed more because its count looks low.
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
#include <stddef.h>
#include <sys/socket.h>

#include "base/status.h"

typedef struct acceptor acceptor;

/* One daemon connections are placed on, and how many connections it has. */
typedef struct acceptor_lane {
	struct MHD_Daemon *d;
	atomic_int open;    /* taken in by the lane's thread and not yet closed */
	atomic_int pending; /* handed over, not yet taken in (its thread may be busy) */
} acceptor_lane;

/* MHD_OPTION_NOTIFY_CONNECTION callback, with the lane as its argument: keeps the counts. */
void acceptor_count(void *lane, struct MHD_Connection *c, void **socket_context,
		    enum MHD_ConnectionNotificationCode code);

/* Binds and listens on sa (SO_REUSEADDR and SO_REUSEPORT, as libmicrohttpd did); *port_out
 * is the port bound (useful with port 0). */
status acceptor_listen(const struct sockaddr *sa, socklen_t sl, int *fd_out, unsigned *port_out,
		       char *err, size_t errlen);

/* Starts accepting on fd (owned from now on), placing each connection on the lane of the
 * n with the fewest open (the lanes are borrowed until acceptor_stop). */
status acceptor_start(int fd, acceptor_lane *lanes, int n, acceptor **out, char *err,
		      size_t errlen);

/* Stops accepting and closes the listening socket; connections already handed over stay
 * with the daemon. NULL is a no-op. */
void acceptor_stop(acceptor *a);

#endif
