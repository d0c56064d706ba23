/* model.c - names of domain enumerations, the same in C, SQL, JSON and UI. */
#include "core/model.h"

#include <string.h>

const char *service_kind_name(service_kind k)
{
	switch (k) {
	case SERVICE_APPOINTMENT: return "appointment";
	case SERVICE_CLASS: return "class";
	case SERVICE_RENTAL: return "rental";
	}
	return "appointment";
}

bool service_kind_parse(const char *s, service_kind *out)
{
	static const service_kind all[] = {SERVICE_APPOINTMENT, SERVICE_CLASS, SERVICE_RENTAL};
	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
		if (s && strcmp(s, service_kind_name(all[i])) == 0) {
			*out = all[i];
			return true;
		}
	}
	return false;
}

static const char *const booking_status_names[] = {
	"held", "pending", "confirmed", "checked_in", "completed", "cancelled", "no_show", "expired",
};

const char *booking_status_name(booking_status s)
{
	if ((unsigned)s < sizeof(booking_status_names) / sizeof(booking_status_names[0]))
		return booking_status_names[s];
	return "held";
}

bool booking_status_parse(const char *s, booking_status *out)
{
	for (size_t i = 0; s && i < sizeof(booking_status_names) / sizeof(booking_status_names[0]); i++) {
		if (strcmp(s, booking_status_names[i]) == 0) {
			*out = (booking_status)i;
			return true;
		}
	}
	return false;
}
