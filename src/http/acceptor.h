/* acceptor.h - the listening socket and the thread that accepts on it, handing each new
 * connection to the libmicrohttpd daemon (MHD_add_connection).
 *
 * Why not let libmicrohttpd listen: each of its pool threads accepts up to ten connections
 * per wake-up and keeps them for their whole life, so a client opening many keep-alive
 * connections at once (a proxy, a load test) could find them all on two threads, served one
 * request at a time while the other threads idle. Connections added from outside are spread
 * over the pool by socket number, so consecutive connections land on different threads. */
#ifndef BOOKD_HTTP_ACCEPTOR_H
#define BOOKD_HTTP_ACCEPTOR_H

#include <stddef.h>
#include <sys/socket.h>

#include "base/status.h"

struct MHD_Daemon;
typedef struct acceptor acceptor;

/* Binds and listens on sa (SO_REUSEADDR and SO_REUSEPORT, as libmicrohttpd did); *port_out
 * is the port bound (useful with port 0). */
status acceptor_listen(const struct sockaddr *sa, socklen_t sl, int *fd_out, unsigned *port_out,
		       char *err, size_t errlen);

/* Starts accepting on fd (owned from now on) for d. */
status acceptor_start(int fd, struct MHD_Daemon *d, acceptor **out, char *err, size_t errlen);

/* Stops accepting and closes the listening socket; connections already handed over stay
 * with the daemon. NULL is a no-op. */
void acceptor_stop(acceptor *a);

#endif
