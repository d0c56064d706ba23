/* calendar_connections.h - external calendars whose busy time blocks slots (staff routes). */
#ifndef BOOKD_API_CALENDAR_CONNECTIONS_H
#define BOOKD_API_CALENDAR_CONNECTIONS_H

#include "http/request.h"

/* /api/v1/businesses/{business}/calendar-connections[/{connection}[/resync]] (admin):
 * list with health, create, read one, delete, ask for a full read now. */
void calendar_connections_list(http_req *r);
void calendar_connections_create(http_req *r);
void calendar_connections_get(http_req *r);
void calendar_connections_delete(http_req *r);
void calendar_connections_resync(http_req *r);

#endif
