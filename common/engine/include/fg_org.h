/*  fg_org.h - organisation codes and the scope rules built on them.

    Org units are named by their statistical division code (GB/T 2260 and
    its 12-digit extension): prefecture 513300, county 513328, township
    513328100, administrative village 513328100201. The code is the org
    unit's id in every table, so that every scope question ("is this village
    inside that township?") is a comparison of digits that needs no other
    row, and so gives the same answer on every node whatever has arrived.

    The significant prefix of a code is what is left once the zero digits
    that stand for "all below" are dropped, by level:
        level 1 prefecture  6 digits  XXYY00         prefix XXYY        (4)
        level 2 county      6 digits  XXYYZZ         prefix XXYYZZ      (6)
        level 3 township    9 digits  XXYYZZTTT      prefix XXYYZZTTT   (9)
        level 4 village    12 digits  XXYYZZTTTVVV   prefix all 12
    A code A contains code B when B starts with A's significant prefix.
*/
#ifndef FG_ORG_H_INCLUDED
#define FG_ORG_H_INCLUDED

#include "fg_common.h"

//  Level of a code (1..4), or 0 if it is not a valid code.
int      fg_org_level (const char *code);
//  Length of the significant prefix (0 if invalid).
size_t   fg_org_prefix_len (const char *code);
//  True if `outer` contains `inner` (a code contains itself).
bool     fg_org_contains (const char *outer, const char *inner);
//  True if either contains the other (a record anchored at one is relevant
//  to a node at the other: a directive to an ancestor, or a household in
//  a descendant).
bool     fg_org_related (const char *a, const char *b);
//  The nearest code that contains both a and b (a common ancestor), into
//  out (13 bytes). Codes from different prefectures give a's prefecture.
void     fg_org_common (const char *a, const char *b, char *out);
//  The code of the township (level 3) that contains a village or township
//  code, into out (10 bytes); -1 if the code is above township level.
int      fg_org_township_of (const char *code, char *out);
//  The tier whose node serves an org code of this level.
fg_tier_t fg_org_tier (const char *code);
//  Node id derived from a code: prefecture 1; county 100+CC (CC = its two
//  last digits); township CC*1000+TTT (< 65536). These ranges never meet.
//  0 if none can be derived (the operator then passes --node-id); a parent
//  refuses to enroll a child whose id is already taken.
uint16_t fg_org_default_node_id (const char *code);

#endif
