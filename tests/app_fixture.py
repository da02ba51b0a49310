"""A small database for the dashboard's tests (AppTest and browser), small enough to check by hand.

At AS_OF (30 June 2023):
- North CSP "DHR 2021/01" (2021): version of 30/06/2022, then of 31/03/2023 (in force). Rec 1
  (overview, West Mercia Police, training): two actions, both complete in the later version (one
  was in progress before). Rec 2 (single agency, Cranstoun, substance misuse + mental health):
  one action off track, target 31/01/2023, so overdue; its update reports poor training uptake.
- South CSP "DHR 2022/02" (2022): rec 1 (overview, owner "H&W H&C Trust", an unknown name; text
  left unplaced): one action not started with target 31/10/2022 (overdue), one with status "TBC"
  (unknown) and no target date. Rec 2 (single agency, Probation Service, information sharing):
  complete.
- South CSP "Demo 2020/03" (2020), a demo case: one complete action.
So: 3 cases, 5 recommendations, 7 actions, 4 complete, 2 overdue; North alone: 1 case, 3 actions,
1 overdue.
"""
from __future__ import annotations

import datetime as dt

import fixture_db as f

AS_OF = dt.date(2023, 6, 30)
UNKNOWN_AGENCY = ("H&W H&C Trust", None, None)


def build(path: str) -> None:
    con = f.make_db(path)
    north = f.add_case(con, "DHR 2021/01", partnership="North CSP", year=2021)
    early = f.add_plan_version(con, north, as_of_date="2022-06-30", source_file="north_2022.docx", fmt="docx")
    rec = f.add_recommendation(con, early, "1", "Deliver domestic abuse training to all officers",
                               owners=["West Mercia Police"])
    f.add_action(con, rec, "Design the course", status="complete", target_date="2022-03-31")
    f.add_action(con, rec, "Train every officer", status="in_progress", target_date="2022-12-31")
    f.add_theme(con, rec, "training", matched="training")

    late = f.add_plan_version(con, north, as_of_date="2023-03-31", source_file="north_2023.docx", fmt="docx")
    rec = f.add_recommendation(con, late, "1", "Deliver domestic abuse training to all officers",
                               owners=["West Mercia Police"])
    f.add_action(con, rec, "Design the course", status="complete", target_date="2022-03-31")
    f.add_action(con, rec, "Train every officer", status="complete", target_date="2022-12-31")
    f.add_theme(con, rec, "training", matched="training")
    rec = f.add_recommendation(con, late, "2", "Join up substance misuse and mental health services",
                               level="single_agency", owners=["Cranstoun Worcestershire"])
    act = f.add_action(con, rec, "Agree a dual diagnosis pathway", status="off_track", target_date="2023-01-31",
                       update_text="Poor take up of the training so far.")
    f.add_theme(con, rec, "substance_misuse", matched="substance misuse")
    f.add_theme(con, rec, "mental_health", matched="mental health")
    f.add_uptake(con, rec, "negative", "Poor take up", "Poor take up of the training so far.", action_id=act)

    south = f.add_case(con, "DHR 2022/02", partnership="South CSP", year=2022)
    pv = f.add_plan_version(con, south, as_of_date="2023-01-15", source_file="south.xlsx", fmt="xlsx")
    rec = f.add_recommendation(con, pv, "1", "Review how risk is escalated at MARAC", owners=[UNKNOWN_AGENCY],
                               unplaced_text="Stray note from page 2")
    f.add_action(con, rec, "Audit MARAC referrals", status="not_started", target_date="2022-10-31")
    f.add_action(con, rec, "Refresh the escalation policy", status="unknown", status_raw="TBC",
                 target_date_raw="when funding allows")
    rec = f.add_recommendation(con, pv, "2", "Share information with GPs", level="single_agency",
                               owners=["Probation Service"])
    f.add_action(con, rec, "Set up a referral pathway", status="complete", target_date="2023-06-30")
    f.add_theme(con, rec, "information_sharing", matched="share information")
    f.add_import_log(con, "south.xlsx", plan_version_id=pv, message="south.xlsx: imported 1 case(s)")

    demo = f.add_case(con, "Demo 2020/03", partnership="South CSP", year=2020, is_demo=True)
    pv = f.add_plan_version(con, demo, as_of_date="2022-01-31", source_file="demo.csv")
    rec = f.add_recommendation(con, pv, "1", "Raise awareness of Clare's Law", owners=["West Mercia Police"])
    f.add_action(con, rec, "Run a campaign", status="complete", target_date="2021-12-31")
    con.close()
