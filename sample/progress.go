package sample

import "improvementtracker/model"

// This file is the sample data: owners, targets, statuses, milestones,
// progress updates and evidence made up to show the app working. None of it
// comes from the report or from Kent Police. Every record is flagged Sample,
// every made-up text (narratives, milestone and evidence titles, reasons,
// rationales, interpretations, the inspectorate's position) starts with
// samplePrefix when loaded, and owners are role titles, never people's names.
// A milestone is owned by its finding's delivery lead, and updates are
// written in the delivery lead's name.
//
// The dates spread over 2025 and 2026 so that both the Q3 2025/26 return (as
// at 31/12/2025) and a view as at late 2026 have something to show: updates
// in every quarter, items overdue at each date, a target and a milestone that
// slipped with a recorded reason, closures proposed and agreed.

// samplePrefix starts every made-up text, so that nobody mistakes it for the
// force's real progress.
const samplePrefix = "[Sample data] "

// Roles: the sample owners, by role title.
const (
	roleDCC          = "Deputy Chief Constable"
	roleACCCrime     = "Assistant Chief Constable (Crime)"
	roleACCLocal     = "Assistant Chief Constable (Local Policing)"
	roleRegistrar    = "Force Crime and Incident Registrar"
	rolePerformance  = "Head of Performance and Analysis"
	roleCommunity    = "Superintendent, Community Safety"
	roleFCIR         = "Chief Superintendent, Force Control and Incident Room"
	roleLocal        = "Chief Superintendent, Local Policing"
	roleDA           = "Chief Superintendent, Domestic Abuse"
	roleHeadOfCrime  = "Detective Chief Superintendent, Head of Crime"
	roleCJ           = "Superintendent, Criminal Justice"
	rolePublicProt   = "Detective Superintendent, Public Protection"
	roleDigital      = "Head of Digital Forensics"
	roleWellbeing    = "Head of Wellbeing"
	rolePlanning     = "Head of Strategic Planning and Resourcing"
	roleImprovement  = "Improvement lead"
	governanceBoard  = "Force Improvement Board"
	investigateBoard = "Crime Management and Investigative Quality Board"
)

// person is a sample owner: a role title and the department it sits in.
type person struct {
	Role, Department string
}

// people are the sample owners, in the order they are stored.
var people = []person{
	{roleDCC, "Chief Officer Team"},
	{roleACCCrime, "Chief Officer Team"},
	{roleACCLocal, "Chief Officer Team"},
	{roleRegistrar, "Crime and Incident Registry"},
	{rolePerformance, "Corporate Services"},
	{roleCommunity, "Local Policing"},
	{roleFCIR, "Force Control and Incident Room"},
	{roleLocal, "Local Policing"},
	{roleDA, "Public Protection"},
	{roleHeadOfCrime, "Crime"},
	{roleCJ, "Criminal Justice"},
	{rolePublicProt, "Public Protection"},
	{roleDigital, "Crime"},
	{roleWellbeing, "People Directorate"},
	{rolePlanning, "Corporate Services"},
	{roleImprovement, "Continuous Improvement"},
}

// revision is a moved date: the new date, when it was agreed, why, and by
// whom.
type revision struct {
	To, On, Reason, AgreedBy string
}

// milestone is a step in a finding's sample action plan.
type milestone struct {
	Title          string
	Due, Completed string
	Revisions      []revision
	Notes          string
}

// update is a sample progress update.
type update struct {
	Date      string
	Status    model.Status
	RAG       model.RAG
	Narrative string
}

// evidence is a sample evidence reference on force systems.
type evidence struct {
	Title, Location, Effective string
	Shared                     bool
}

// plan is the sample progress on one finding. Dates are written dd/mm/yyyy.
type plan struct {
	Chief, Lead, Board string
	Interpretation     string
	Target             string // original target date
	Revisions          []revision
	// Status and RAG are the finding's state when first recorded; each
	// update then sets them, as it does in the app.
	Status               model.Status
	RAG                  model.RAG
	ClosureRationale     string
	ClosureProposed      string
	Closed               string
	InspectoratePosition string
	Related              []string // keys of related findings stored earlier
	Milestones           []milestone
	Updates              []update
	Evidence             []evidence
}

// docs is where the sample evidence lives: a made-up document library on
// force systems.
const docs = "Force document library > Inspections > PEEL 2021-22 > "

// plans holds the sample progress for each finding, by the key in findings.go.
var plans = map[string]plan{
	"cdi": {
		Chief: roleDCC, Lead: roleRegistrar, Board: governanceBoard,
		Target: "31/03/2026", Status: model.NotStarted, RAG: model.Amber,
		Updates: []update{
			{"15/10/2025", model.NotStarted, model.Amber, "The registrar has asked the victim contact teams to record age, gender, ethnicity and disability at first contact; the improvement team is writing an action plan for the other protected characteristics."},
			{"14/04/2026", model.NotStarted, model.Red, "Target date passed without an agreed action plan. Escalated to the Force Improvement Board; the registrar will bring the plan to its next meeting."},
		},
	},
	"satisfaction": {
		Chief: roleACCLocal, Lead: rolePerformance, Board: governanceBoard,
		Target: "30/06/2025", Status: model.InProgress, RAG: model.Green,
		ClosureRationale:     "A quarterly public and victim satisfaction survey runs across all districts, with results reported to the performance management committee since April 2025.",
		ClosureProposed:      "15/08/2025",
		Closed:               "20/11/2025",
		InspectoratePosition: "Closure agreed by the inspectorate at the liaison meeting on 20/11/2025.",
		Milestones: []milestone{
			{Title: "Commission a quarterly public satisfaction survey", Due: "31/03/2025", Completed: "28/03/2025"},
			{Title: "First survey results to the performance management committee", Due: "30/06/2025", Completed: "24/06/2025"},
		},
		Updates: []update{
			{"30/04/2025", model.InProgress, model.Green, "Survey supplier appointed; questions agreed with the independent advisory group."},
			{"31/07/2025", model.CompletePending, model.Blue, "First quarter's results (2,140 responses) reported to the performance management committee. Awaiting sign-off by the chief officer lead."},
			{"15/08/2025", model.ClosureProposed, model.Blue, "Signed off by the ACC (Local Policing) and proposed to the inspectorate for closure with the first two quarters' results."},
			{"20/11/2025", model.Closed, model.Blue, "The inspectorate agreed closure at the liaison meeting."},
		},
		Evidence: []evidence{
			{"Public satisfaction survey results, quarter 1 2025/26", docs + "Satisfaction > Survey results Q1 2025-26.pdf", "30/06/2025", true},
		},
	},
	"neighbourhood-training": {
		Chief: roleACCLocal, Lead: roleCommunity, Board: governanceBoard,
		Target: "31/12/2025", Status: model.InProgress, RAG: model.Green,
		ClosureRationale:     "Every community safety unit officer has a development pathway with six mandatory modules; 94 percent had completed them by June 2026.",
		ClosureProposed:      "10/07/2026",
		Closed:               "30/09/2026",
		InspectoratePosition: "Closure agreed by the inspectorate on 30/09/2026.",
		Milestones: []milestone{
			{Title: "Design the community safety unit development pathway", Due: "30/06/2025", Completed: "20/06/2025"},
			{Title: "First cohort completes the neighbourhood policing modules", Due: "31/12/2025", Completed: "12/12/2025"},
		},
		Updates: []update{
			{"30/06/2025", model.InProgress, model.Green, "Development pathway designed with the College of Policing neighbourhood guidelines; six modules agreed."},
			{"17/12/2025", model.InProgress, model.Green, "First cohort of 48 community safety unit officers has completed the modules; remaining districts scheduled for the first half of 2026."},
			{"30/06/2026", model.CompletePending, model.Blue, "Pathway rolled out to all districts; 94 percent completion. Awaiting sign-off by the ACC (Local Policing)."},
			{"10/07/2026", model.ClosureProposed, model.Blue, "Signed off and proposed to the inspectorate for closure."},
			{"30/09/2026", model.Closed, model.Blue, "The inspectorate agreed closure."},
		},
		Evidence: []evidence{
			{"Community safety unit development pathway", docs + "Neighbourhood training > CSU pathway v1.2.docx", "20/06/2025", true},
		},
	},
	"repeat-callers": {
		Chief: roleACCLocal, Lead: roleFCIR, Board: governanceBoard,
		Target: "30/09/2025",
		Revisions: []revision{
			{To: "31/03/2026", On: "22/09/2025", Reason: "The repeat-caller prompt needs a change to the command and control system that the supplier cannot release before February 2026.", AgreedBy: roleACCLocal},
		},
		Status: model.InProgress, RAG: model.Green,
		Milestones: []milestone{
			{Title: "Add the repeat-caller check to the call-handling script", Due: "31/07/2025", Completed: "25/07/2025"},
			{Title: "Supplier release of the automatic repeat-caller prompt", Due: "30/11/2025",
				Revisions: []revision{{To: "28/02/2026", On: "22/09/2025", Reason: "Supplier release schedule moved.", AgreedBy: roleFCIR}}},
		},
		Updates: []update{
			{"30/06/2025", model.InProgress, model.Green, "Call-handling script revised so that call handlers search previous contacts and record vulnerability on every call."},
			{"22/09/2025", model.InProgress, model.Amber, "Script change live since July. The automatic prompt depends on a supplier release now expected in February 2026; target moved to 31/03/2026."},
			{"12/12/2025", model.InProgress, model.Amber, "Dip sample of 300 calls: repeat-caller checks completed in 81 percent (baseline 62 percent). Supplier release still awaited."},
			{"15/04/2026", model.InProgress, model.Red, "Supplier release not delivered; the revised target has passed. Escalated to the ACC (Local Policing) and to the supplier's account director."},
		},
		Evidence: []evidence{
			{"Revised call-handling script", docs + "Responding > Call handling script July 2025.pdf", "25/07/2025", false},
			{"Dip sample of 300 calls, November 2025", docs + "Responding > Repeat caller dip sample Nov 2025.xlsx", "30/11/2025", false},
		},
	},
	"call-advice": {
		Chief: roleACCLocal, Lead: roleFCIR, Board: governanceBoard,
		Target: "31/12/2025", Status: model.InProgress, RAG: model.Green,
		ClosureRationale:     "Crime prevention and evidence preservation advice is built into every call-handling template, and the October 2025 quality assurance sample of 200 calls found the advice given in 96 percent of calls where it applied.",
		ClosureProposed:      "10/12/2025",
		InspectoratePosition: "Awaiting the inspectorate's review of the closure submission.",
		Updates: []update{
			{"31/05/2025", model.InProgress, model.Green, "Advice prompts added to the call-handling templates for burglary, vehicle crime and assault."},
			{"31/10/2025", model.CompletePending, model.Blue, "Quality assurance sample of 200 calls: advice given in 96 percent of applicable calls. Awaiting sign-off."},
			{"10/12/2025", model.ClosureProposed, model.Blue, "Signed off by the ACC (Local Policing); closure proposed to the inspectorate with the quality assurance results."},
		},
		Evidence: []evidence{
			{"Quality assurance sample of 200 calls, October 2025", docs + "Responding > Advice QA October 2025.xlsx", "31/10/2025", true},
		},
	},
	"incident-response": {
		Chief: roleACCLocal, Lead: roleFCIR, Board: governanceBoard,
		Target: "30/11/2025", Status: model.InProgress, RAG: model.Green,
		Milestones: []milestone{
			{Title: "Daily review of 'high' graded incidents not resourced within the hour", Due: "31/08/2025", Completed: "29/08/2025"},
			{Title: "Response demand model approved", Due: "31/10/2025"},
		},
		Updates: []update{
			{"15/07/2025", model.InProgress, model.Green, "Duty inspector now reviews every 'high' graded incident not resourced within the hour."},
			{"28/11/2025", model.InProgress, model.Amber, "18 percent of 'high' graded incidents still wait more than an hour for a resource; the demand model is behind schedule."},
			{"18/12/2025", model.InProgress, model.Red, "Target passed: the response demand model has not been approved. A revised plan goes to the January board."},
			{"11/05/2026", model.InProgress, model.Red, "Still overdue. The demand model now depends on the response capacity work; no revised date agreed yet."},
		},
	},
	"response-capacity": {
		Chief: roleACCLocal, Lead: roleLocal, Board: governanceBoard,
		Target: "31/03/2027", Status: model.NotStarted, RAG: model.Green,
		Milestones: []milestone{
			{Title: "Response driving and taser courses for student officers", Due: "30/09/2026", Completed: "25/09/2026"},
			{Title: "Local policing team minimum strength reviewed", Due: "31/12/2026"},
		},
		Updates: []update{
			{"20/05/2025", model.InProgress, model.Green, "Training plan agreed: 24 extra response driving courses and 12 taser courses in 2025/26."},
			{"30/10/2025", model.InProgress, model.Green, "Half of the 2025/26 student officers now hold response driving authority."},
			{"31/07/2026", model.InProgress, model.Amber, "Course places on track, but abstractions from local policing teams remain high; minimum strength review under way."},
		},
	},
	"da-resourcing": {
		Chief: roleACCCrime, Lead: roleDA, Board: governanceBoard,
		Interpretation: "The force reads this as: vulnerability investigation teams need enough PIP2 accredited detectives (the report cites an optimum of 25 percent against under 5 percent) and manageable workloads.",
		Target:         "31/12/2025",
		Revisions: []revision{
			{To: "30/06/2026", On: "14/11/2025", Reason: "Results of the detective accreditation exam for the second cohort are not published until May 2026.", AgreedBy: roleACCCrime},
		},
		Status: model.NotStarted, RAG: model.Green,
		Milestones: []milestone{
			{Title: "Set the PIP2 establishment for vulnerability investigation teams", Due: "31/03/2025", Completed: "27/03/2025"},
			{Title: "Accredit 40 vulnerability investigation team members to PIP2", Due: "30/09/2025",
				Revisions: []revision{{To: "31/03/2026", On: "01/07/2025", Reason: "The regional training provider cut the detective course places for 2025 by half.", AgreedBy: roleACCCrime}},
				Notes:     "Slipped: course places cut."},
			{Title: "Workload review of domestic abuse investigators", Due: "31/01/2026", Completed: "10/02/2026"},
		},
		Updates: []update{
			{"31/03/2025", model.InProgress, model.Green, "PIP2 establishment set at 25 percent for every vulnerability investigation team; 14 trained detectives moved in from CID."},
			{"01/07/2025", model.InProgress, model.Amber, "Detective course places cut by the regional provider; the accreditation milestone moved to 31/03/2026."},
			{"14/11/2025", model.InProgress, model.Amber, "PIP2 ratio now 13 percent. Target moved to 30/06/2026 to take in the second cohort's exam results."},
			{"31/03/2026", model.InProgress, model.Amber, "Workload review done: average caseload down from 21 to 15. PIP2 ratio 17 percent."},
			{"10/07/2026", model.InProgress, model.Red, "Revised target missed: PIP2 ratio 18 percent against 25 percent. A recovery plan goes to the Force Improvement Board in December."},
		},
		Evidence: []evidence{
			{"Vulnerability investigation team establishment and PIP2 ratio", docs + "Domestic abuse > VIT establishment March 2026.xlsx", "31/03/2026", true},
			{"Domestic abuse investigator workload review", docs + "Domestic abuse > Workload review Feb 2026.pdf", "10/02/2026", false},
		},
	},
	"allocation": {
		Chief: roleACCCrime, Lead: roleHeadOfCrime, Board: investigateBoard,
		Target: "31/03/2026", Status: model.InProgress, RAG: model.Green,
		Updates: []update{
			{"30/06/2025", model.InProgress, model.Green, "Investigation management unit now allocates within two working days; backlog down from 1,900 to 600 crimes."},
			{"05/12/2025", model.InProgress, model.Green, "Median time to allocation 1.4 days; backlog under 300."},
			{"20/04/2026", model.CompletePending, model.Blue, "Allocation standard met for six months. Awaiting sign-off by the ACC (Crime)."},
			{"15/10/2026", model.CompletePending, model.Blue, "Sign-off deferred to the December board to see the autumn figures."},
		},
	},
	"investigation-plans": {
		Chief: roleACCCrime, Lead: roleHeadOfCrime, Board: investigateBoard,
		Target: "30/09/2025", Status: model.InProgress, RAG: model.Green,
		Milestones: []milestone{
			{Title: "Investigation plan template in the crime system", Due: "30/06/2025", Completed: "16/06/2025"},
			{Title: "Supervisors' investigation review training", Due: "30/09/2025"},
		},
		Updates: []update{
			{"15/04/2025", model.InProgress, model.Green, "Mandatory investigation plan template agreed by the quality board."},
			{"25/09/2025", model.InProgress, model.Amber, "Audit: plans present in 71 percent of applicable cases. Supervisor training not yet complete."},
			{"18/12/2025", model.InProgress, model.Red, "Target passed; supervisor training 60 percent complete. A revised date goes to the January board."},
			{"12/05/2026", model.InProgress, model.Red, "Audit: plans present in 79 percent of applicable cases; supervision recorded in 58 percent."},
		},
	},
	"evidence-led": {
		Chief: roleACCCrime, Lead: roleDA, Board: investigateBoard,
		Target: "31/03/2026",
		Revisions: []revision{
			{To: "31/12/2026", On: "20/03/2026", Reason: "Evidence-led prosecution training widened to all response sergeants, not only vulnerability teams.", AgreedBy: roleDCC},
		},
		Status: model.InProgress, RAG: model.Green,
		Updates: []update{
			{"30/06/2025", model.InProgress, model.Green, "Evidence-led prosecution checklist added to the domestic abuse investigation template."},
			{"15/12/2025", model.InProgress, model.Green, "Evidence-led prosecutions considered in 34 percent of withdrawn domestic abuse cases (1.2 percent at inspection)."},
			{"20/03/2026", model.InProgress, model.Amber, "Training widened to response sergeants; target moved to 31/12/2026."},
			{"30/09/2026", model.InProgress, model.Amber, "Consideration rate 41 percent; training 70 percent complete."},
		},
	},
	"victim-needs": {
		Chief: roleACCCrime, Lead: roleCJ, Board: governanceBoard,
		Target: "31/12/2025", Status: model.InProgress, RAG: model.Green,
		ClosureRationale:     "A victim needs assessment is now a mandatory field in the crime system and compliance has been above 90 percent for six months.",
		ClosureProposed:      "20/02/2026",
		Closed:               "18/06/2026",
		InspectoratePosition: "Closure agreed by the inspectorate on 18/06/2026.",
		Updates: []update{
			{"30/05/2025", model.InProgress, model.Green, "Victim needs assessment made a mandatory field for every crime with a named victim."},
			{"31/10/2025", model.InProgress, model.Green, "Compliance 88 percent in September (under one fifth at inspection)."},
			{"19/12/2025", model.CompletePending, model.Blue, "Compliance above 90 percent for three months. Awaiting sign-off."},
			{"20/02/2026", model.ClosureProposed, model.Blue, "Signed off; closure proposed to the inspectorate."},
			{"18/06/2026", model.Closed, model.Blue, "The inspectorate agreed closure."},
		},
		Evidence: []evidence{
			{"Victim needs assessment compliance, April to December 2025", docs + "Victims > VNA compliance 2025.xlsx", "31/12/2025", true},
		},
	},
	"withdrawal-records": {
		Chief: roleACCCrime, Lead: roleCJ, Board: governanceBoard,
		Target: "31/12/2026", Status: model.NotStarted, RAG: model.Green,
		Updates: []update{
			{"30/09/2025", model.InProgress, model.Green, "Body-worn video withdrawal statement process agreed with the Crown Prosecution Service."},
			{"31/08/2026", model.InProgress, model.Green, "Auditable record present in 63 percent of withdrawn cases (one quarter at inspection)."},
		},
	},
	"da-orders": {
		Chief: roleACCCrime, Lead: roleDA, Board: governanceBoard,
		Target: "30/09/2026",
		Revisions: []revision{
			{To: "31/03/2027", On: "15/09/2026", Reason: "Protective order guidance is being rewritten to match the national process; agreed to re-baseline.", AgreedBy: roleACCCrime},
		},
		Status: model.InProgress, RAG: model.Green, Related: []string{"da-resourcing", "evidence-led"},
		Updates: []update{
			{"31/07/2025", model.InProgress, model.Green, "Protective orders prompt added to the domestic abuse risk review; a dedicated orders officer in each division."},
			{"17/12/2025", model.InProgress, model.Green, "Notice and order applications up 40 percent on the same quarter last year."},
			{"15/09/2026", model.InProgress, model.Amber, "Guidance rewrite needed; target moved to 31/03/2027."},
		},
	},
	"pvp-wellbeing": {
		Chief: roleDCC, Lead: roleWellbeing, Board: governanceBoard,
		Target: "30/11/2026", Status: model.NotStarted, RAG: model.Green,
		Milestones: []milestone{
			{Title: "Replace the enhanced wellbeing screening with supportive one-to-ones", Due: "31/03/2026", Completed: "30/03/2026"},
			{Title: "Staff survey of online investigation and child protection teams", Due: "31/10/2026", Completed: "28/10/2026"},
		},
		Updates: []update{
			{"10/09/2025", model.InProgress, model.Green, "Staff associations and the online investigation teams co-designing the new wellbeing offer."},
			{"22/01/2026", model.InProgress, model.Green, "Psychological one-to-ones now offered every six months, separate from suitability screening."},
			{"05/11/2026", model.InProgress, model.Green, "Survey: 71 percent feel supported (38 percent in 2024). Report due to the board this month."},
		},
	},
	"bail-rui": {
		Chief: roleACCCrime, Lead: roleCJ, Board: governanceBoard,
		Interpretation: "Review the bail and released under investigation policy so that cases progress without undue delay, with supervisory oversight of RUI cases.",
		Target:         "31/12/2025",
		Revisions: []revision{
			{To: "30/09/2026", On: "10/12/2025", Reason: "The review was widened to supervisors' oversight of released under investigation cases, which needs a change to the case management system.", AgreedBy: roleACCCrime},
		},
		Status: model.NotStarted, RAG: model.Green,
		Milestones: []milestone{
			{Title: "Publish the revised bail and RUI policy", Due: "31/10/2025", Completed: "03/02/2026",
				Revisions: []revision{{To: "31/01/2026", On: "29/09/2025", Reason: "Legal review of the draft policy took longer than planned.", AgreedBy: roleACCCrime}},
				Notes:     "Slipped once; published three days after the revised date."},
			{Title: "Monthly RUI dashboard for supervisors", Due: "30/06/2026"},
		},
		Updates: []update{
			{"30/04/2025", model.InProgress, model.Green, "Review of bail and RUI cases begun: 1,480 suspects released under investigation, 610 for over six months."},
			{"29/09/2025", model.InProgress, model.Amber, "Draft policy in legal review; publication moved to 31/01/2026."},
			{"10/12/2025", model.InProgress, model.Amber, "Scope widened to RUI supervision; target moved to 30/09/2026."},
			{"31/03/2026", model.InProgress, model.Amber, "Policy published on 03/02/2026. RUI over six months down to 420."},
			{"08/10/2026", model.InProgress, model.Red, "Revised target missed: the supervisors' dashboard waits on the case management system change."},
		},
		Evidence: []evidence{
			{"Bail and released under investigation policy, version 4", docs + "Offenders > Bail and RUI policy v4.pdf", "03/02/2026", true},
		},
	},
	"rso-model": {
		Chief: roleACCCrime, Lead: rolePublicProt, Board: governanceBoard,
		Target: "31/03/2026",
		Revisions: []revision{
			{To: "31/12/2026", On: "25/02/2026", Reason: "Consultation with staff associations on moving divisional ViSOR teams extended by three months.", AgreedBy: roleDCC},
		},
		Status: model.NotStarted, RAG: model.Green,
		Milestones: []milestone{
			{Title: "Review of the central and divisional sex offender management model to chief officers", Due: "30/09/2025", Completed: "14/10/2025"},
			{Title: "Bring divisional ViSOR teams under one public protection command", Due: "31/03/2026",
				Revisions: []revision{{To: "30/09/2026", On: "25/02/2026", Reason: "Staff consultation extended.", AgreedBy: roleDCC}},
				Completed: "28/09/2026"},
			{Title: "Visits to the highest risk offenders on time for three months running", Due: "31/12/2026"},
		},
		Updates: []update{
			{"12/06/2025", model.InProgress, model.Green, "Review of the operating model started, with visits to two forces that run a single command."},
			{"14/10/2025", model.InProgress, model.Green, "Chief officers chose a single public protection command for all registered sex offender management."},
			{"16/12/2025", model.InProgress, model.Amber, "Visit compliance for the highest risk offenders 86 percent; consultation on the new structure started."},
			{"25/02/2026", model.InProgress, model.Amber, "Consultation extended; target moved to 31/12/2026."},
			{"02/10/2026", model.InProgress, model.Green, "Single command live since 28/09/2026; visit compliance 97 percent in September."},
		},
		Evidence: []evidence{
			{"Chief officer decision on the sex offender management model", docs + "Offenders > RSO model decision Oct 2025.pdf", "14/10/2025", false},
		},
	},
	"online-child-abuse": {
		Chief: roleACCCrime, Lead: roleDigital, Board: governanceBoard,
		Target: "30/06/2026", Status: model.NotStarted, RAG: model.Green,
		Updates: []update{
			{"20/08/2025", model.InProgress, model.Amber, "Triage kiosks bought for the three online investigation teams; the image database upload fault is with IT."},
			{"25/11/2025", model.InProgress, model.Amber, "Device backlog down from 410 to 260; image upload backlog unchanged."},
			{"15/07/2026", model.InProgress, model.Red, "Target passed: the IT infrastructure upgrade needed for image uploads is now planned for 2027."},
		},
	},
	"efficiency": {
		Chief: roleDCC, Lead: rolePlanning, Board: governanceBoard,
		Target: "30/09/2026", Status: model.NotStarted, RAG: model.Amber,
		Updates: []update{
			{"20/10/2025", model.NotStarted, model.Amber, "A review of how resources are allocated against demand is scoped; it waits for the new demand model before work is planned."},
			{"12/10/2026", model.NotStarted, model.Red, "Target passed: the demand model is late, so the resource review has not started."},
		},
	},
	"ip-problem-solving":  innovative(roleACCLocal, roleCommunity),
	"ip-operation-engage": innovative(roleACCLocal, roleFCIR),
}

// innovative is the plan of an innovative practice: owners to ask about it,
// and the status that says it is not tracked.
func innovative(chief, lead string) plan {
	return plan{Chief: chief, Lead: lead, Status: model.NoFurtherAction, ClosureRationale: innovativeRationale}
}

// innovativeRationale is why innovative practice carries the status "No
// further action": it is recorded, not tracked to closure.
const innovativeRationale = "Innovative practice is recorded for reference; it is not tracked to closure."
