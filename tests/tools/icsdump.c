/* icsdump.c - test tool: parses iCalendar text from stdin with libical and prints one
 * "NAME VALUE" line per property of each VEVENT (times as UTC epoch seconds), so tests can
 * check what calendar clients will read. Exit 1 when libical cannot parse it. */
#include <libical/ical.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(void)
{
	size_t cap = 1 << 16, len = 0;
	char *text = malloc(cap);
	size_t n;
	while (text && (n = fread(text + len, 1, cap - len - 1, stdin)) > 0) {
		len += n;
		if (len + 1 == cap)
			text = realloc(text, cap *= 2);
	}
	if (!text)
		return 1;
	text[len] = '\0';
	icalcomponent *cal = icalparser_parse_string(text);
	free(text);
	if (!cal)
		return 1;
	icalproperty *method = icalcomponent_get_first_property(cal, ICAL_METHOD_PROPERTY);
	if (method)
		printf("METHOD %s\n", icalproperty_get_value_as_string(method));
	for (icalcomponent *ev = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT); ev;
	     ev = icalcomponent_get_next_component(cal, ICAL_VEVENT_COMPONENT)) {
		printf("UID %s\n", icalcomponent_get_uid(ev));
		printf("SEQUENCE %d\n", icalcomponent_get_sequence(ev));
		printf("DTSTART %lld\n", (long long)icaltime_as_timet(icalcomponent_get_dtstart(ev)));
		printf("DTEND %lld\n", (long long)icaltime_as_timet(icalcomponent_get_dtend(ev)));
		printf("STATUS %s\n", icalproperty_status_to_string(icalcomponent_get_status(ev)));
		printf("SUMMARY %s\n", icalcomponent_get_summary(ev));
	}
	icalcomponent_free(cal);
	return 0;
}
