/* auth.h - who may call a route: checked before every handler. */
#ifndef BOOKD_API_AUTH_H
#define BOOKD_API_AUTH_H

#include <stdbool.h>

#include "http/request.h"

/* Decides for r->route->auth; answers 401/403 itself and returns false when refused. */
bool auth_authorize(http_req *r);

#endif
