/* tls.h - the server's certificate and key for HTTPS, loaded from files and loaded again on
 * request (SIGHUP) without a restart: handshakes after a reload present the new pair, and
 * connections already open keep the one they began with.
 *
 * libmicrohttpd asks for the pair at each handshake through a callback without an argument
 * of ours, so the pair lives here, in the module, behind its lock. Pairs that were replaced
 * stay allocated until tls_stop (a session may still point at them); a reload costs a few
 * kilobytes. */
#ifndef BOOKD_HTTP_TLS_H
#define BOOKD_HTTP_TLS_H

#include <gnutls/abstract.h>
#include <stdbool.h>
#include <stddef.h>

#include "base/status.h"

/* Loads the PEM certificate chain and private key; the module keeps both paths for
 * tls_reload. STATUS_INVALID with a reason in err when a file cannot be read or the key
 * does not belong to the certificate. Call once, before the server starts. */
status tls_start(const char *cert_path, const char *key_path, char *err, size_t errlen);
/* Loads both files again; on success new handshakes use them, on failure (reason in err)
 * the pair in use stays. Thread-safe. */
status tls_reload(char *err, size_t errlen);
/* True between a successful tls_start and tls_stop. */
bool tls_on(void);
/* Frees every pair. Call after the server has stopped. */
void tls_stop(void);

/* For http/server.c: a gnutls_certificate_retrieve_function2, given to libmicrohttpd as
 * MHD_OPTION_HTTPS_CERT_CALLBACK: presents the current pair. Thread-safe. */
int tls_retrieve(gnutls_session_t session, const gnutls_datum_t *req_ca_rdn, int nreqs,
		 const gnutls_pk_algorithm_t *pk_algos, int pk_algos_length, gnutls_pcert_st **pcert,
		 unsigned int *pcert_length, gnutls_privkey_t *privkey);

#endif
