package report

// Two report texts written for these tests, in the layouts of the
// 2018/19 and 2023–25 PEEL assessments. They are NOT real reports: the
// forces (Eastmoor Constabulary, Southvale Police), their findings and
// their numbers are made up, so that the importer is tried on texts it
// was not written beside. Only the Kent text is a real report.
//
// Notation (see parseDoc): C cover, H area heading or core question,
// G grade line, S paragraph outside boxes, K box heading, T box title,
// B box paragraph, L box list item, M "Main findings", h narrative
// heading, P narrative paragraph, l narrative list item, F a page break
// before the next part.

// eastmoor1819 is a 2018/19 integrated PEEL text: pillars, numbered core
// questions with their grade beside them, bulleted areas for
// improvement, a cause of concern with bulleted recommendations.
const eastmoor1819 = `
C PEEL: Police effectiveness, efficiency and legitimacy 2018/19
C An inspection of Eastmoor Constabulary
C Published on: 9 May 2019
H Effectiveness
H How effective is the force at keeping people safe and reducing crime?
G Requires improvement
S Eastmoor Constabulary requires improvement in its effectiveness at keeping people safe and reducing crime.
H 1 How effective is the force at preventing crime and tackling anti-social behaviour?
G Good
S Eastmoor Constabulary is good at preventing crime and tackling anti-social behaviour.
K Areas for improvement
L The force should make sure that its neighbourhood officers are not routinely taken away from their duties to answer calls.
L The force should evaluate its problem-solving work and share what it learns across the force.
L The force should improve how it uses data from partner organisations to understand local problems.
L The force should make sure that its community engagement reaches groups who seldom hear from the police.
P The force has a clear plan for neighbourhood policing, and its officers know the areas they serve well.
F
H 2 How effectively does the force investigate crime and reduce re-offending?
G Requires improvement
S Eastmoor Constabulary requires improvement at investigating crime and reducing re-offending.
K Areas for improvement
L The force should make sure that investigations are allocated to officers with the right skills and are supervised well.
L The force should reduce the backlog of digital devices awaiting examination.
P Investigations are often delayed because devices wait months for examination.
H 3 How effective is the force at protecting vulnerable people and supporting victims?
G Inadequate
S Eastmoor Constabulary is inadequate at protecting vulnerable people and supporting victims.
K Cause of concern
B Eastmoor Constabulary doesn’t respond to vulnerable people in a timely way. Too many calls from vulnerable people wait hours for an officer.
K Recommendations
B To address this cause of concern, we recommend that the force should immediately:
L review how it prioritises calls from vulnerable people, so that the risk is reassessed while a caller waits; and
L make sure supervisors in the control room oversee the calls that are waiting.
F
K Areas for improvement
L The force should improve how it identifies repeat victims of domestic abuse.
L The force should make sure that it uses domestic violence protection orders in all appropriate cases.
P The force works well with partner organisations in its multi-agency safeguarding hub.
H Efficiency
H How efficient is the force at keeping people safe and reducing crime?
G Good
H How well does the force plan for the future?
G Good
K Area for improvement
L The force should develop its understanding of the skills of its workforce so that it can plan for the future.
P The force understands the demand it faces and has plans to meet it.
`

// southvale2325 is a 2023–25 PEEL text: a grade under each heading, a
// grade sentence, numbered areas for improvement, causes of concern with
// recommendations as a lead-in and a list, innovative practice and a
// heading at the top of a page.
const southvale2325 = `
C PEEL 2023–25 Police effectiveness, efficiency and legitimacy
C An inspection of Southvale Police
C Published on: 14 October 2024
H Providing a service to victims of crime
S This section describes our assessment of the service victims receive from Southvale Police. While this assessment is ungraded, it influences graded judgments in the other areas we have inspected.
K Area for improvement 1
B The force should make sure it records the reasons when a victim withdraws support for an investigation.
K Area for improvement 2
B The force should make sure victims are given a needs assessment under the victims’ code, and that the outcome is recorded.
F
H Responding to the public
G Requires improvement
S Southvale Police requires improvement at responding to the public.
K Cause of concern
B The force isn’t answering non-emergency calls quickly enough, and it doesn’t always identify vulnerable and repeat callers.
K Recommendations
B We recommend that, within six months, the force:
L makes sure that it answers non-emergency calls within its own published standard;
L makes sure call handlers use a structured risk assessment on every call; and
L improves the supervision of its control room so that calls are assessed consistently.
K Area for improvement 1
B The force should make sure that it attends incidents within the time it has set for each grade of response.
M Main findings
h The force has invested in its control room
P The force has recruited 40 additional call handlers since 2023, and they now work in the control room.
F
H Investigating crime
G Adequate
S Southvale Police is adequate at investigating crime.
K Area for improvement 1
B The force should make sure that investigations are allocated promptly to officers with the right skills.
K Innovative practice
T The force’s investigation support hub helps new investigators with complex cases
B The hub, staffed by experienced detectives, gives new investigators advice seven days a week.
M Main findings
h The force has a clear investigation policy
P Investigators and supervisors understand what is expected of them.
F
H Protecting vulnerable people
G Inadequate
S Southvale Police is inadequate at protecting vulnerable people.
K Cause of concern
B The force doesn’t manage the risk posed by registered sex offenders effectively.
K Recommendations
B Within three months, the force should:
L make sure that every registered sex offender is managed in line with authorised professional practice; and
L clear its backlog of overdue risk assessments.
K Area for improvement 1
B The force should improve how it shares information with partner organisations about children at risk of exploitation.
F
M Main findings
h The force works well with other organisations
P The force’s multi-agency safeguarding hub is well run.
`
