"""The moderation council: members, referred cases, diverse panels, bridging decisions, published precedents,
platform recommendations and advisory community polls.

Modules: `bridging` (the matrix factorisation), `viewpoints` (fits on the stored history), `members`, `cases`
(referral, panel draw, votes), `rule` (the bridging decision rule), `decisions` (decide, publish, apply),
`recommendations`, `polls`.
"""
