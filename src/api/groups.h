/* groups.h - the booking group routes (api/groups.c): an organiser books several
 * participants at once and manages them by the group's signed link; staff see groups, add
 * and remove participants, and keep companies, the group rules of services and the minimum
 * attendance of class sessions. */
#ifndef BOOKD_API_GROUPS_H
#define BOOKD_API_GROUPS_H

#include "http/request.h"

/* Public: POST /api/v1/public/{business}/groups; GET /api/v1/public/{business}/group-rules;
 * GET /api/v1/public/groups/{group}?t=, POST …/participants, DELETE
 * …/participants/{member}, POST …/cancel (all with ?t=, the group's link token). */
void groups_public_post(http_req *r);
void groups_public_rules(http_req *r);
void groups_public_get(http_req *r);
void groups_public_add(http_req *r);
void groups_public_remove(http_req *r);
void groups_public_cancel(http_req *r);
/* GET /api/v1/public/{business}/sessions-under-way?service= and POST
 * /api/v1/public/{business}/sessions/{session}/late-join: joining a class session begun. */
void groups_public_under_way(http_req *r);
void groups_public_late_join(http_req *r);

/* Staff: …/groups (list, create), …/groups/{group} (read, participants, cancel), and the
 * group of one booking. */
void staff_groups_list(http_req *r);
void staff_groups_post(http_req *r);
void staff_group_get(http_req *r);
void staff_group_add(http_req *r);
void staff_group_remove(http_req *r);
void staff_group_cancel(http_req *r);
void staff_booking_group_get(http_req *r);

/* Staff: …/services/{service}/group-rules and …/sessions/{session}/rules. */
void staff_group_rules_get(http_req *r);
void staff_group_rules_put(http_req *r);
void staff_session_rules_get(http_req *r);
void staff_session_rules_put(http_req *r);

/* Staff: …/companies[/{company}] and a customer's company. */
void staff_companies_list(http_req *r);
void staff_companies_post(http_req *r);
void staff_company_get(http_req *r);
void staff_company_patch(http_req *r);
void staff_company_delete(http_req *r);
void staff_customer_company_get(http_req *r);
void staff_customer_company_put(http_req *r);

#endif
