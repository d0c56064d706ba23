/* tls.c - certificate and key pairs in gnutls form, swapped under a lock on reload. */
#include "http/tls.h"

#include <gnutls/gnutls.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"

#define TLS_CHAIN_MAX 8 /* certificates in a chain at most */

typedef struct tls_pair {
	struct tls_pair *older;           /* pairs replaced before this one */
	gnutls_pcert_st certs[TLS_CHAIN_MAX];
	unsigned ncerts;                  /* entries of certs */
	gnutls_privkey_t key;
} tls_pair;

static pthread_mutex_t tls_lock = PTHREAD_MUTEX_INITIALIZER;
static tls_pair *tls_current; /* the pair handshakes use; NULL when TLS is off */
static char *tls_cert_path, *tls_key_path;

static void pair_free(tls_pair *p)
{
	for (unsigned i = 0; i < p->ncerts; i++)
		gnutls_pcert_deinit(&p->certs[i]);
	if (p->key)
		gnutls_privkey_deinit(p->key);
	free(p);
}

/* Reads both files into a new pair; NULL with a reason in err. */
static tls_pair *pair_load(const char *cert_path, const char *key_path, char *err, size_t errlen)
{
	tls_pair *p = xcalloc(1, sizeof(*p));
	p->ncerts = TLS_CHAIN_MAX;
	int rc = gnutls_pcert_list_import_x509_file(p->certs, &p->ncerts, cert_path,
						    GNUTLS_X509_FMT_PEM, NULL, NULL, 0);
	if (rc < 0) {
		p->ncerts = 0;
		snprintf(err, errlen, "TLS certificate %s: %s", cert_path, gnutls_strerror(rc));
		pair_free(p);
		return NULL;
	}
	gnutls_datum_t data = {NULL, 0};
	rc = gnutls_load_file(key_path, &data);
	if (rc >= 0) {
		rc = gnutls_privkey_init(&p->key);
		if (rc >= 0)
			rc = gnutls_privkey_import_x509_raw(p->key, &data, GNUTLS_X509_FMT_PEM, NULL, 0);
		gnutls_free(data.data);
	}
	if (rc < 0) {
		snprintf(err, errlen, "TLS key %s: %s", key_path, gnutls_strerror(rc));
		pair_free(p);
		return NULL;
	}
	/* The key must be the certificate's: sign something and verify it with the certificate. */
	static const unsigned char probe[] = "bookd";
	gnutls_datum_t msg = {(unsigned char *)probe, sizeof(probe)}, sig = {NULL, 0};
	rc = gnutls_privkey_sign_data(p->key, GNUTLS_DIG_SHA256, 0, &msg, &sig);
	if (rc >= 0) {
		int algo = gnutls_pk_to_sign(gnutls_privkey_get_pk_algorithm(p->key, NULL),
					     GNUTLS_DIG_SHA256);
		rc = gnutls_pubkey_verify_data2(p->certs[0].pubkey, (gnutls_sign_algorithm_t)algo,
						0, &msg, &sig);
		gnutls_free(sig.data);
	}
	if (rc < 0) {
		snprintf(err, errlen, "TLS key %s does not belong to the certificate %s", key_path,
			 cert_path);
		pair_free(p);
		return NULL;
	}
	return p;
}

/* The current pair (never freed while the server runs). */
int tls_retrieve(gnutls_session_t session, const gnutls_datum_t *req_ca_rdn, int nreqs,
		 const gnutls_pk_algorithm_t *pk_algos, int pk_algos_length, gnutls_pcert_st **pcert,
		 unsigned int *pcert_length, gnutls_privkey_t *privkey)
{
	(void)session;
	(void)req_ca_rdn;
	(void)nreqs;
	(void)pk_algos;
	(void)pk_algos_length;
	pthread_mutex_lock(&tls_lock);
	tls_pair *p = tls_current;
	pthread_mutex_unlock(&tls_lock);
	if (!p)
		return -1;
	*pcert = p->certs;
	*pcert_length = p->ncerts;
	*privkey = p->key;
	return 0;
}

status tls_start(const char *cert_path, const char *key_path, char *err, size_t errlen)
{
	tls_pair *p = pair_load(cert_path, key_path, err, errlen);
	if (!p)
		return STATUS_INVALID;
	pthread_mutex_lock(&tls_lock);
	tls_current = p;
	tls_cert_path = xstrdup(cert_path);
	tls_key_path = xstrdup(key_path);
	pthread_mutex_unlock(&tls_lock);
	return STATUS_OK;
}

status tls_reload(char *err, size_t errlen)
{
	pthread_mutex_lock(&tls_lock);
	char *cert = tls_cert_path ? xstrdup(tls_cert_path) : NULL;
	char *key = tls_key_path ? xstrdup(tls_key_path) : NULL;
	pthread_mutex_unlock(&tls_lock);
	if (!cert || !key) {
		free(cert);
		free(key);
		snprintf(err, errlen, "TLS is off");
		return STATUS_INVALID;
	}
	tls_pair *p = pair_load(cert, key, err, errlen);
	free(cert);
	free(key);
	if (!p)
		return STATUS_INVALID;
	pthread_mutex_lock(&tls_lock);
	p->older = tls_current;
	tls_current = p;
	pthread_mutex_unlock(&tls_lock);
	return STATUS_OK;
}

bool tls_on(void)
{
	pthread_mutex_lock(&tls_lock);
	bool on = tls_current != NULL;
	pthread_mutex_unlock(&tls_lock);
	return on;
}

void tls_stop(void)
{
	pthread_mutex_lock(&tls_lock);
	tls_pair *p = tls_current;
	tls_current = NULL;
	free(tls_cert_path);
	free(tls_key_path);
	tls_cert_path = tls_key_path = NULL;
	pthread_mutex_unlock(&tls_lock);
	while (p) {
		tls_pair *older = p->older;
		pair_free(p);
		p = older;
	}
}
