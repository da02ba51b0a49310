"""The raw material of the fictional demo corpus: places, people and learning.

Everything here is invented. Each `Learning` is one piece of learning that
reviews make again and again, written several ways, so the same recommendation
recurs across cases in different words. `needs` names the case features a
learning belongs to: a learning that mentions mental health only appears in
cases where mental health featured, so theme prevalence follows the case mix.

Text stays in plain ASCII so every writer (including PDF core fonts) can
render it unchanged.
"""
from __future__ import annotations

from dataclasses import dataclass, field

# Fictional partnerships: (name written in plans, short place name, region).
# Regions are real English regions so national comparisons still make sense.
PARTNERSHIPS = [
    ("Ashbridge Community Safety Partnership", "Ashbridge", "West Midlands"),
    ("Brackenford Community Safety Partnership", "Brackenford", "North West"),
    ("Calderwick Safer Communities Partnership", "Calderwick", "Yorkshire and the Humber"),
    ("Dunmere and Holloway CSP", "Dunmere", "South West"),
    ("Elmstead Vale Community Safety Partnership", "Elmstead Vale", "East of England"),
    ("Farrowdale Safer Partnership", "Farrowdale", "North East"),
    ("Greywater Community Safety Partnership", "Greywater", "South East"),
]

# Obviously fictional staff (update logs name staff; these are personal data in real plans).
STAFF = [
    "PC A. Example",
    "J. Placeholder",
    "DS B. Sample",
    "Dr C. Fictitious",
    "M. Testperson",
    "K. Madeup",
    "P. Notreal",
    "Sgt D. Dummy",
    "R. Standin",
    "L. Exemplar",
    "T. Specimen",
    "H. Invented",
]

# Case features drawn per case; probabilities follow the national figures
# (mental health the most common vulnerability, substance misuse common,
# the toxic trio - both together - in a sizeable minority).
FEATURES = ("mental_health", "substance", "children", "older", "housing", "equality", "perpetrator", "suicide")


@dataclass(frozen=True)
class Learning:
    """One recurring piece of learning: ways of writing it and actions that answer it."""

    key: str
    level: str  # overview | single_agency
    agency_type: str  # who owns it (single-agency) or leads its actions (overview)
    phrasings: tuple[str, ...]
    actions: tuple[str, ...]
    needs: tuple[str, ...] = ()  # case features all required
    training: bool = False  # update text talks about training uptake
    scope: str = "local"


def L(key, level, agency_type, phrasings, actions, needs=(), training=False, scope="local"):
    return Learning(key, level, agency_type, tuple(phrasings), tuple(actions), tuple(needs), training, scope)


OVERVIEW = [
    L("da_training", "overview", "Local authority / CSP", [
        "All agencies should ensure that front-line staff receive domestic abuse training that covers coercive and controlling behaviour and how to respond to a disclosure.",
        "Partner agencies of the {place} partnership should review their domestic abuse training offer so that every practitioner with public contact knows how to recognise and respond to domestic abuse.",
        "The partnership should seek assurance that domestic abuse training is mandatory for front-line practitioners and that attendance is monitored.",
    ], [
        "Each agency to confirm its domestic abuse training offer and the proportion of front-line staff trained.",
        "Deliver a multi-agency domestic abuse training programme and record attendance by agency.",
        "Include coercive control and responding to disclosure in induction training.",
    ], training=True),
    L("toxic_trio", "overview", "Local authority / CSP", [
        "The partnership should ensure practitioners understand the combined risk where domestic abuse, substance misuse and mental ill-health are present together (the toxic trio).",
        "Agencies should provide learning on the links between domestic abuse, alcohol and drug misuse and mental health so that staff recognise the heightened risk of the toxic trio.",
        "Training on the impact of domestic abuse, substance misuse and mental health should be provided for front-line staff to raise awareness of these complex issues.",
    ], [
        "Add a toxic trio module to the partnership's domestic abuse training.",
        "Run a 7-minute briefing on the toxic trio for all partner agencies.",
        "Share the learning from this review at team meetings across mental health and substance misuse services.",
    ], needs=("mental_health", "substance"), training=True),
    L("awareness", "overview", "Local authority / CSP", [
        "The partnership should review its use of social media and print media to raise public awareness of domestic abuse and where to get help.",
        "{place} partners should run a public awareness campaign so that friends, family and neighbours know how to report concerns about domestic abuse.",
        "The partnership should identify opportunities to raise the level of public awareness about domestic abuse, including through the White Ribbon campaign.",
    ], [
        "Publish campaign materials on partner websites and social media.",
        "Distribute leaflets and posters to GP surgeries, pharmacies and libraries.",
        "Achieve White Ribbon accreditation for the partnership.",
    ]),
    L("dvds", "overview", "Police", [
        "The use of the Domestic Violence Disclosure Scheme (Clare's Law) should be audited to ensure the learning is embedded in practice.",
        "Partners should raise awareness among professionals of the right to ask and right to know under Clare's Law.",
        "The partnership should review the information available about the Domestic Violence Disclosure Scheme and make guidance and leaflets available to professionals and the public.",
    ], [
        "Audit DVDS applications for the last twelve months and report findings to the partnership.",
        "Publish DVDS guidance for professionals on the partnership website.",
        "Include right to ask and right to know in DVDS procedural guidance.",
    ]),
    L("re_engagement", "overview", "Adult social care", [
        "All agencies and commissioners of services should review existing re-engagement policies so that services reach out to people who have found it hard to engage.",
        "Agencies should have a clear procedure for following up people who miss appointments or disengage, rather than closing the case.",
        "Partners should review how they respond to non-engagement, so that a missed appointment prompts professional curiosity rather than discharge.",
    ], [
        "Review the non-engagement policy and publish a flow chart for staff.",
        "Audit cases closed after missed appointments in the last six months.",
    ]),
    L("info_sharing", "overview", "Local authority / CSP", [
        "The partnership should refresh its information sharing protocol so that agencies share information about domestic abuse risk promptly.",
        "Agencies should ensure practitioners understand when they can share information without consent where there is a risk of serious harm.",
        "Partners should agree a referral pathway so that concerns about domestic abuse are shared and corroborated between agencies.",
    ], [
        "Refresh and re-sign the multi-agency information sharing protocol.",
        "Issue guidance on sharing information without consent.",
        "Test the referral pathway through a multi-agency case audit.",
    ]),
    L("curiosity", "overview", "Local authority / CSP", [
        "Agencies should promote professional curiosity so that practitioners ask about domestic abuse and look beyond the presenting issue.",
        "Practitioners should be supported to use routine and selective enquiry about domestic abuse.",
    ], [
        "Deliver a professional curiosity workshop for practitioners.",
        "Include professional curiosity in supervision templates.",
    ], training=True),
    L("marac", "overview", "Police", [
        "The MARAC steering group should review referral thresholds so that professional judgement and repeat incidents lead to a referral.",
        "Agencies should ensure staff know how to escalate concerns to MARAC when their professional judgement says the risk is high.",
    ], [
        "Review MARAC referral criteria, including repeat victims and professional judgement.",
        "Brief all agencies on the MARAC escalation route.",
    ]),
    L("governance", "overview", "Local authority / CSP", [
        "The partnership should monitor this action plan every quarter and escalate any action that is not completed on time.",
        "The partnership should seek evidence that the actions in this plan have made a difference in practice, not only that they are finished.",
    ], [
        "Report progress on this action plan to the partnership board each quarter.",
        "Hold a learning event six months after publication to check impact.",
    ]),
    L("coercive_control", "overview", "Domestic abuse services", [
        "Agencies should improve practitioners' understanding of coercive and controlling behaviour, including economic abuse.",
        "Partners should ensure staff recognise coercion and control where there is no physical violence.",
    ], [
        "Commission coercive control training from the specialist domestic abuse service.",
        "Add economic abuse to the partnership's practitioner guidance.",
    ], training=True),
    L("dual_diagnosis", "overview", "NHS trusts", [
        "Commissioners should ensure a joint pathway between mental health and substance misuse services so that people with a dual diagnosis are not turned away by both.",
        "Mental health and drug and alcohol services should agree how they jointly assess and support people with co-occurring conditions.",
    ], [
        "Agree a dual diagnosis protocol between the mental health trust and the drug and alcohol service.",
        "Hold joint case discussions for people open to both services.",
    ], needs=("mental_health", "substance")),
    L("suicide", "overview", "Local authority / CSP", [
        "The suicide prevention strategy should recognise domestic abuse as a risk factor for suicide.",
        "Partners should ensure that deaths by suicide following domestic abuse are considered for review and the learning is shared.",
    ], [
        "Add domestic abuse to the suicide prevention action plan.",
        "Agree a process with the coroner's office to identify suicides following domestic abuse.",
    ], needs=("mental_health", "suicide")),
    L("older_victims", "overview", "Adult social care", [
        "Agencies should recognise that older people experience domestic abuse, including abuse by adult family members and carers.",
        "The Safeguarding Adults Board should promote awareness of adult family violence and the needs of older victims.",
    ], [
        "Include older victims and adult family violence in safeguarding training.",
        "Review carer's assessment guidance to include questions about domestic abuse.",
    ], needs=("older",)),
    L("encompass", "overview", "Children's services", [
        "Schools should be notified through Operation Encompass when children are present at a domestic abuse incident.",
        "Agencies should think family and consider the children in a household where domestic abuse is reported.",
    ], [
        "Confirm that every school in the area receives Operation Encompass notifications.",
        "Include the voice of the child in domestic abuse assessments.",
    ], needs=("children",)),
    L("safe_accommodation", "overview", "Housing", [
        "The partnership should ensure that victims of domestic abuse have access to safe accommodation and that housing teams ask about domestic abuse.",
        "Housing providers should identify domestic abuse at the point of a homelessness or tenancy enquiry.",
    ], [
        "Train housing officers in domestic abuse enquiry.",
        "Review the safe accommodation offer, including refuge spaces.",
    ], needs=("housing",), training=True),
    L("interpreters", "overview", "Local authority / CSP", [
        "Agencies should use professional interpreters rather than family members when speaking to people about domestic abuse.",
        "Partners should consider culture, language and immigration status, including no recourse to public funds, when responding to domestic abuse.",
    ], [
        "Issue guidance on the use of independent interpreters.",
        "Map support for victims with no recourse to public funds.",
    ], needs=("equality",)),
]

SINGLE_AGENCY = [
    # Police
    L("dash_supervision", "single_agency", "Police", [
        "Modifications to DASH risk assessments should be referred back to the officer who made the original assessment, with the reason for the change recorded.",
        "Supervisors should review the risk grading of domestic abuse incidents and record why a grading was changed.",
    ], [
        "Issue a reminder to supervisors on recording changes to risk grading.",
        "Audit a sample of downgraded risk assessments.",
    ]),
    L("repeat_victim", "single_agency", "Police", [
        "The force should ensure repeat victims of domestic abuse are flagged on its records system so that officers attending know the history.",
        "Call handlers should check for previous domestic abuse incidents and flags before deploying officers.",
    ], [
        "Apply repeat victim flags on Niche for all domestic abuse victims.",
        "Update call handling guidance to require a history check.",
    ]),
    L("police_training", "single_agency", "Police", [
        "Front-line officers should receive training on domestic abuse, including victim engagement and evidence-led prosecution.",
        "The force should deliver a domestic abuse training programme for all response officers.",
    ], [
        "Deliver the force domestic abuse training day to all response officers.",
        "Add non-fatal strangulation to the domestic abuse training programme.",
    ], training=True),
    L("dvpo", "single_agency", "Police", [
        "Officers should consider Domestic Violence Protection Notices and Orders where there is insufficient evidence to charge.",
        "The force should increase the use of protective orders against perpetrators of domestic abuse.",
    ], [
        "Brief officers on the use of DVPNs and DVPOs.",
        "Monitor the number of protection orders applied for each quarter.",
    ], needs=("perpetrator",)),
    # Primary care
    L("gp_alerts", "single_agency", "Primary care", [
        "GP practices should consider adding an alert to patient records when a trusted agency reports a risk of domestic abuse.",
        "Surgeries should ensure domestic abuse information from other agencies is recorded and visible in the patient record.",
    ], [
        "Agree a standard alert for domestic abuse on the patient record system.",
        "Audit coding of domestic abuse in a sample of practices.",
    ]),
    L("gp_relatives", "single_agency", "Primary care", [
        "The GP practice should review its protocol when relatives phone on behalf of patients, given the potential risk of coercion and control.",
        "Practices should consider whether a partner attending appointments may be controlling the patient and find a way to see the patient alone.",
    ], [
        "Review the practice protocol on third-party calls.",
        "Include seeing patients alone in practice safeguarding guidance.",
    ]),
    L("iris", "single_agency", "Health commissioners", [
        "Commissioners should consider commissioning the IRIS programme so that general practice can identify and refer victims of domestic abuse.",
        "All staff with face-to-face contact with patients should undertake learning connected to domestic abuse.",
    ], [
        "Develop a business case for IRIS in primary care.",
        "Offer domestic abuse training to GP practices.",
    ], training=True),
    L("gp_mental_health", "single_agency", "Primary care", [
        "GPs should ask about domestic abuse when reviewing patients presenting with depression or anxiety.",
        "The practice should ensure mental health reviews consider whether domestic abuse is a factor.",
    ], [
        "Add a domestic abuse question to the depression review template.",
        "Share the learning at the practice safeguarding meeting.",
    ], needs=("mental_health",)),
    # NHS trusts
    L("cmht_risk", "single_agency", "NHS trusts", [
        "The community mental health team should include domestic abuse, as victim and as perpetrator, in its risk assessment.",
        "Mental health services should routinely ask about domestic abuse and record the answer in the care plan.",
    ], [
        "Update the CMHT risk assessment template to include domestic abuse.",
        "Audit care plans for recorded routine enquiry.",
    ], needs=("mental_health",)),
    L("crisis_discharge", "single_agency", "NHS trusts", [
        "The crisis team should involve the patient's wider network and consider domestic abuse before discharge.",
        "Discharge planning from mental health services should consider the risk of self-harm and suicide where domestic abuse is known.",
    ], [
        "Revise the crisis team discharge checklist.",
        "Deliver a learning session on suicide risk and domestic abuse.",
    ], needs=("mental_health",), training=True),
    L("ae_enquiry", "single_agency", "NHS trusts", [
        "The emergency department should use routine enquiry about domestic abuse for patients presenting with injuries.",
        "Hospital staff should refer patients disclosing domestic abuse to the hospital IDVA.",
    ], [
        "Embed routine enquiry in the A&E triage record.",
        "Promote the hospital IDVA service to ward staff.",
    ]),
    L("maternity", "single_agency", "NHS trusts", [
        "Maternity services should ask about domestic abuse at every antenatal contact when the woman is seen alone.",
        "Midwives should share concerns about domestic abuse with the health visitor and GP.",
    ], [
        "Audit routine enquiry at antenatal booking.",
        "Agree a handover template from midwife to health visitor.",
    ], needs=("children",)),
    # Substance misuse services
    L("record_partner", "single_agency", "Substance misuse services", [
        "Share learning on the importance of recording a service user's partner's name in sessions for future identification and support.",
        "The drug and alcohol service should record details of partners and who else lives in the household.",
    ], [
        "Share learning with team leaders; team leaders to disseminate it in team meetings.",
        "Add partner details to the assessment form.",
    ], needs=("substance",), training=True),
    L("nfa_engagement", "single_agency", "Substance misuse services", [
        "Share learning on the importance of a clear re-engagement plan for service users who are of no fixed abode or rough sleeping.",
        "The service should follow up service users who disengage from treatment, especially those without stable housing.",
    ], [
        "Share learning with team leaders and collate evidence from team meeting minutes.",
        "Identify any training requirements for staff on re-engagement.",
    ], needs=("substance",)),
    L("sm_screening", "single_agency", "Substance misuse services", [
        "The substance misuse service should screen for domestic abuse at assessment and review.",
        "All staff should be aware of the importance of sharing and corroborating information from service users where there is an indication of domestic abuse.",
    ], [
        "Include domestic abuse screening questions in the treatment assessment.",
        "Brief staff on sharing and corroborating information.",
    ], needs=("substance",)),
    # Adult social care
    L("section42", "single_agency", "Adult social care", [
        "Adult social care should consider a section 42 safeguarding enquiry when domestic abuse is reported for an adult with care and support needs.",
        "Adult safeguarding staff should apply the Care Act to domestic abuse concerns for adults with care and support needs.",
    ], [
        "Issue practice guidance on domestic abuse and section 42 enquiries.",
        "Audit adult safeguarding referrals that mention domestic abuse.",
    ], needs=("older",)),
    L("carers", "single_agency", "Adult social care", [
        "Carer's assessments should ask about the relationship between carer and cared-for person, including any abuse.",
        "Adult social care should offer carers a conversation alone as part of every carer's assessment.",
    ], [
        "Revise the carer's assessment form.",
        "Brief assessors on seeing the carer alone.",
    ], needs=("older",)),
    # Children's services
    L("think_family", "single_agency", "Children's services", [
        "Children's social care should consider the risk to the adult victim as well as the children when assessing domestic abuse.",
        "Social workers should think family and share information with adult services when a parent is at risk.",
    ], [
        "Update the children and families assessment guidance.",
        "Hold a joint learning session with adult services.",
    ], needs=("children",)),
    # Probation
    L("probation_risk", "single_agency", "Probation", [
        "Probation should complete domestic abuse enquiries with police and children's services for every person on probation with a history of domestic abuse.",
        "Offender managers should review the risk of serious harm when a new relationship is disclosed.",
    ], [
        "Audit completion of domestic abuse enquiries at sentence.",
        "Brief offender managers on reviewing risk after a change in relationship.",
    ], needs=("perpetrator",)),
    L("perpetrator_programme", "single_agency", "Probation", [
        "Probation should ensure perpetrators are referred to an accredited perpetrator programme where suitable.",
        "The service should monitor attendance at perpetrator programmes and act on non-attendance.",
    ], [
        "Review referral rates to the perpetrator programme.",
        "Agree an escalation route for non-attendance.",
    ], needs=("perpetrator",)),
    # Domestic abuse services
    L("idva_outreach", "single_agency", "Domestic abuse services", [
        "The IDVA service should review how it makes contact with victims who do not respond, including outreach visits.",
        "The domestic abuse service should offer a safety plan at first contact with every victim assessed as high risk.",
    ], [
        "Review the IDVA contact procedure for victims who do not respond.",
        "Audit safety plans for high-risk cases.",
    ]),
    # Housing
    L("housing_enquiry", "single_agency", "Housing", [
        "The housing service should ask about domestic abuse when a tenant reports anti-social behaviour or a neighbour dispute.",
        "Housing officers should consider domestic abuse when a tenancy is at risk or a tenant asks to move.",
    ], [
        "Add domestic abuse prompts to the tenancy visit checklist.",
        "Train housing officers in domestic abuse awareness.",
    ], needs=("housing",), training=True),
    # Local authority / CSP
    L("csp_tracking", "single_agency", "Local authority / CSP", [
        "The community safety team should keep a tracker of all DHR recommendations and report overdue actions to the partnership.",
    ], [
        "Set up a DHR recommendations tracker.",
    ]),
    L("interpreter_agency", "single_agency", "NHS trusts", [
        "The trust should use professional interpreters rather than family members when the patient does not speak English.",
    ], [
        "Remind staff of the interpreting policy and audit compliance.",
    ], needs=("equality",)),
]

# Update text, by what happened to an action. {agency}, {person}, {month} are filled in.
PROGRESS = [
    "Work underway; draft circulated to partners for comment.",
    "{agency} have started this and expect to report back at the next meeting.",
    "Task and finish group set up; first meeting held.",
    "Partially complete: guidance drafted, awaiting sign-off.",
    "Update from {person}: progressing, on track for the target date.",
]
NOT_STARTED = [
    "Awaiting update from {agency}.",
    "Not yet started; planned for the next quarter.",
    "Update awaited.",
]
SLIPPED = [
    "Delayed because of staff changes; {person} chasing.",
    "Not achieved by the target date; revised date to be agreed at the next meeting.",
    "Slipped: system changes meant the evidence could not be found. {person} to follow up.",
    "Incomplete - to be updated. Escalated to the partnership board.",
]
DONE = [
    "Completed; evidence seen by the partnership.",
    "Complete: guidance published and shared with all teams.",
    "Business as usual; embedded in practice and checked at audit.",
    "Signed off at the review meeting.",
]
SUPERSEDED = [
    "Superseded by the {place} domestic abuse strategy refresh.",
    "Withdrawn: the service was recommissioned and the new provider holds this action.",
]
TRAINING_PROGRESS = [
    "Training programme launched; poor take up so far, reminders sent to managers.",
    "Good uptake but this tailed off after the first two months.",
    "{pct}% of staff trained to date.",
    "Will aim to have all front-line officers trained by summer {year}.",
    "E-learning module made mandatory; {pct}% completion so far.",
]
TRAINING_DONE = [
    "{pct}% of staff trained; remaining staff booked onto the next course.",
    "All front-line officers trained by summer {year}.",
    "Mandatory training in place; 100% of the team trained.",
]

# Normalised status -> words written in plans (see DOMAIN.md vocabulary).
STATUS_WORDS = {
    "complete": ["Complete", "Completed", "Achieved", "Closed", "Implemented", "Business as usual", "Embedded"],
    "in_progress": ["Ongoing", "In progress", "On track", "Partially complete", "Underway"],
    "not_started": ["Not started", "Not yet due", "Planned", "Awaiting update"],
    "off_track": ["Delayed", "Slipped", "Overdue", "Incomplete - to be updated", "Not achieved"],
    "closed_other": ["Superseded", "Withdrawn"],
}


# Agencies plans name, from data/reference/agencies.csv. The demo places are fictional, so
# it uses the reference list's generic and national names, never another area's bodies.
AGENCIES_BY_TYPE = {
    "Police": ["Police"],
    "Health commissioners": ["Integrated Care Board"],  # "Clinical Commissioning Group" before July 2022
    "Primary care": ["GP practices"],
    "NHS trusts": ["Hospital services"],
    "Adult social care": ["Adult Social Care"],
    "Children's services": ["Children's Social Care"],
    "Local authority / CSP": ["Community Safety Partnership", "Local authority"],
    "Probation": ["Probation Service"],
    "Domestic abuse services": ["IDVA service", "Women's Aid", "Refuge", "Domestic abuse services"],
    "Substance misuse services": ["Change Grow Live", "Turning Point", "With You", "Humankind", "Cranstoun"],
    "Housing": ["Housing"],
}
# Learning whose owner is one particular service within its type.
LEARNING_AGENCY = {
    "dual_diagnosis": "Mental health services",
    "cmht_risk": "Mental health services",
    "crisis_discharge": "Mental health services",
    "maternity": "Maternity services",
    "older_victims": "Safeguarding Adults Board",
    "encompass": "Schools",
    "perpetrator_programme": "Probation Service",
    "marac": "MARAC",
}
CCG_ENDS = (2022, 7, 1)  # Clinical Commissioning Groups became Integrated Care Boards
# Aliases naming real places are left out: the demo's places are fictional.
REAL_PLACE_WORDS = ("worcester", "worcs", "mercia", "hereford", "h&w", "wye", "midlands", "wychavon", "malvern",
                    "bromsgrove", "redditch", "wyre", "platform", "rooftop", "warwick", "wm ", "metropolitan")


@dataclass
class AgencyChoice:
    """An agency as a plan writes it (canonical name or alias) and what it stands for."""

    written: str
    canonical: str
    agency_type: str
