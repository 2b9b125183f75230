package sample

import "improvementtracker/model"

// This file holds what the report itself says: its areas, their grades and
// every finding, word for word. Nothing here is sample data. A reviewer can
// check it against the report (testdata/kent-peel-2021-22.txt, the text
// extracted from the published PDF); the line numbers below point into that
// file. Lines broken by the extraction are joined, glossary links and page
// furniture are dropped, and the wording, spelling and curly quotes are
// otherwise kept as they are.

// reportTitle names the report. The extracted text carries no title page, so
// the title is built from what the text states: the force, PEEL and the
// 2021/22 assessment framework.
const reportTitle = "Kent Police PEEL 2021/22"

// reportURL is the report's web address, as printed in the text (line 36).
const reportURL = "https://www.justiceinspectorates.gov.uk/hmicfrs/peel-assessments/peel-assessments-2021-22/kent"

// The report's publication date is deliberately left unset. The extracted
// text never states it: the only dates in it are periods of data (for
// example "The data for the chart was extracted on 9 December 2021", line
// 279), not the date of publication. Rather than guess, the register leaves
// the date empty and the report's notes ask for it to be entered from the
// published report; the PCC's 56-day response clock starts from it.

// hmInspector is the HM Inspector who signed the report (lines 134-136).
const hmInspector = "Roy Wilsher, HM Inspector of Constabulary"

// area is one area of policing the report assessed, with its grade in the
// report's own words.
type area struct {
	Name  string
	Grade model.Grade
	// Judgment is the report's sentence giving the grade, verbatim.
	Judgment string
}

// Area names, as the report's section headings give them.
const (
	areaVictims      = "Providing a service to the victims of crime"
	areaCDI          = "Crime data integrity"
	areaFairness     = "Engaging with and treating the public with fairness and respect"
	areaPrevention   = "Preventing crime and anti-social behaviour"
	areaResponding   = "Responding to the public"
	areaInvestigate  = "Investigating crime"
	areaVulnerable   = "Protecting vulnerable people"
	areaOffenders    = "Managing offenders and suspects"
	areaWorkforce    = "Building, supporting and protecting the workforce"
	areaEfficiency   = "Strategic planning, organisational management and value for money"
	areaSOC          = "Disrupting serious organised crime"
	areaVettingAndCC = "Vetting and counter corruption"
)

// areas lists the areas in the order of the report: the ungraded victim
// service assessment and the nine graded areas ("Our inspection assessed
// how good Kent Police is in ten areas of policing. We make graded judgments
// in nine of these ten", lines 5-6). Serious organised crime and vetting are
// inspected separately and were not yet graded (lines 1305 and 1446):
// they are listed in the report's notes, not here, because no finding sits
// under them.
var areas = []area{
	{areaVictims, model.Ungraded, "While this assessment is ungraded, it influences graded judgments in the other areas we have inspected."}, // lines 194-195
	{areaCDI, model.Outstanding, "Kent Police is outstanding at recording crime."},                                                           // line 315
	{areaFairness, model.Good, "Kent Police is good at treating people fairly and with respect."},                                            // line 384
	{areaPrevention, model.Good, "Kent Police is good at prevention and deterrence."},                                                        // line 520
	{areaResponding, model.RequiresImprovement, "Kent Police requires improvement at responding to the public."},                             // line 642
	{areaInvestigate, model.RequiresImprovement, "Kent Police requires improvement at investigating crime."},                                 // line 790
	{areaVulnerable, model.Adequate, "Kent Police is adequate at protecting vulnerable people."},                                             // line 982
	{areaOffenders, model.RequiresImprovement, "Kent Police requires improvement at managing offenders and suspects."},                       // line 1130
	{areaWorkforce, model.Good, "Kent Police is good at building and developing its workforce."},                                             // line 1316
	{areaEfficiency, model.Good, "Kent Police is good at operating efficiently."},                                                            // line 1456
}

// pendingAreas are mentioned by the report but graded elsewhere, later.
var pendingAreas = []area{
	{areaSOC, "", "Our SOC inspection of Kent Police hasn’t yet been completed."},                                // line 1305
	{areaVettingAndCC, "", "Kent Police’s vetting and counter corruption inspection hasn’t yet been completed."}, // line 1446
}

// gradeOf returns the grade the report gives an area.
func gradeOf(name string) model.Grade {
	for _, a := range areas {
		if a.Name == name {
			return a.Grade
		}
	}
	panic("sample: no area " + name)
}

// finding is one finding of the report. Verbatim holds its paragraphs: the
// boxed heading first, then the text beneath it.
type finding struct {
	// Key names the finding in progress.go, where the sample progress
	// data is kept apart from the report's words.
	Key  string
	Type model.FindingType
	Area string
	// Title is the force's short name for the finding, so that it is easy
	// to find in a list. The report's words are in Verbatim.
	Title    string
	Verbatim []string
	// WordingMissing marks a finding whose box came out empty in the
	// extracted text: its wording is never invented.
	WordingMissing bool
}

// wordingMissingNote is put in such a finding's interpretation field.
const wordingMissingNote = "The text extracted from the published report has an empty “Area for improvement” box in this section, so the inspectorate’s wording is not recorded here. Check the published report and enter the wording before this finding is reported on."

// findings lists every finding in the order of the report. Local references
// are given by the store in this order (KEN-PEEL2122-AFI-01 onwards, then
// KEN-PEEL2122-IP-01 and -02).
//
// How the boxes were read. In the extracted text a section's "Area(s) for
// improvement" and "Innovative practice" headings come out with nothing
// after them; the boxed wording appears at the end of the same page's text,
// or, where the box ran over, at the end of the next page's text, after that
// page's first main finding. Those boxed findings are short: a heading
// telling the force what to improve, then a brief paragraph or few saying
// what is wrong and why it matters. They are taken as the section's areas
// for improvement; the long narrative headings of the "Main findings" are
// not findings to track. Under Crime data integrity and under Strategic
// planning the box is empty and its wording is, by the same rule, the last
// block of the heading's own page: the diversity of crime victims (line
// 350) and the allocation of resources (line 1466), the only passages on
// those pages that tell the force what it needs to do.
//
// The report has no causes of concern and no recommendations ("Kent Police’s
// response to domestic abuse is of particular concern", line 81, is the HM
// Inspector's observation, not a formal cause of concern).
var findings = []finding{
	{ // lines 350-358: the box (heading at line 326) came out at the end of its page.
		Key: "cdi", Type: model.AFI, Area: areaCDI,
		Title: "Diversity information about victims of crime",
		Verbatim: []string{
			"The force needs to improve how it collects information about the diversity of crime victims and use this to ensure it serves different communities equally",
			"Kent Police’s data for victims of crime shows that age and gender are well recorded. Ethnicity is less well recorded and other protected characteristics, such as disability, sexual orientation or religion, are not well recorded. The force should be collecting this information to understand the extent to which each protected group is affected by crime, how this differs from those without the protected characteristics, and whether a different response is needed for these victims.",
		},
	},
	{ // lines 394-404
		Key: "satisfaction", Type: model.AFI, Area: areaFairness,
		Title: "Public satisfaction surveys",
		Verbatim: []string{
			"The force should improve the way it assesses public satisfaction with the service it provides",
			"Kent Police works with its communities through a variety of methods but conducts a limited range of surveys of the public or crime victims for feedback on its performance.",
			"The force has recently set up an online messaging service, My Community Voice, which enables it to ask for and receive targeted feedback. This will help it better understand whether the service it is providing is satisfactory.",
		},
	},
	{ // lines 530-540
		Key: "neighbourhood-training", Type: model.AFI, Area: areaPrevention,
		Title: "Structured training for neighbourhood policing officers",
		Verbatim: []string{
			"The force needs to ensure that neighbourhood policing officers have access to structured training",
			"There may be missed opportunities to prevent and detect crime and anti-social behaviour, and to safeguard victims, because of a lack of training.",
			"Senior leaders recognise the importance of neighbourhood policing. However, the force acknowledges it currently does not have a clear development pathway for officers working in community safety units and is taking steps to develop a training programme for them.",
		},
	},
	{ // lines 648-657
		Key: "repeat-callers", Type: model.AFI, Area: areaResponding,
		Title: "Identifying repeat and vulnerable callers",
		Verbatim: []string{
			"The force needs to make sure that repeat callers and callers who are vulnerable are routinely identified",
			"Checks to identify whether callers had previously contacted Kent Police weren’t always completed at the first point of contact. The force didn’t always record that a victim was vulnerable when appropriate to do so.",
			"Failure to identify repeat or vulnerable callers means that the risk to the victim isn’t always accurately assessed and the victim may not receive the correct response.",
		},
	},
	{ // lines 659-665
		Key: "call-advice", Type: model.AFI, Area: areaResponding,
		Title: "Call takers' evidence preservation and crime prevention advice",
		Verbatim: []string{
			"The force needs to make sure that call takers give appropriate advice on the preservation of evidence and crime prevention",
			"Sometimes crime prevention or scene preservation advice wasn’t given where required. Giving crime prevention advice can support victims and scene preservation advice will improve any investigation.",
		},
	},
	{ // lines 667-680
		Key: "incident-response", Type: model.AFI, Area: areaResponding,
		Title: "Managing the response to incidents",
		Verbatim: []string{
			"The force needs to better manage its response to incidents",
			"The force should have sufficient levels of oversight in place to improve its response to incidents. It needs to improve both how it prioritises its response to incidents, as well as how quickly it responds. As a result, the force will be able to provide an acceptable service to victims.",
			"The graded tier of response below ‘immediate’ is ‘high’. We found several examples of when calls graded ‘high’ weren’t allocated resources within an acceptable time frame.",
			"If the force doesn’t understand how efficient it is at answering calls and responding to incidents, it will find it more difficult to improve the service it provides.",
		},
	},
	{ // lines 721-729: the box continued at the end of the next page.
		Key: "response-capacity", Type: model.AFI, Area: areaResponding,
		Title: "Response team capacity and capability",
		Verbatim: []string{
			"The force needs to improve the capacity and capability of its response teams",
			"The initial training and subsequent tutoring given to new officers is comprehensive, but Kent Police suffers from overstretched and inexperienced local policing teams. This can lead to a delayed response or missed opportunities to safeguard victims or collect evidence, which in turn potentially leads to offenders committing further crimes.",
		},
	},
	{ // lines 796-807
		Key: "da-resourcing", Type: model.AFI, Area: areaInvestigate,
		Title: "Domestic abuse team resourcing",
		Verbatim: []string{
			"The force is failing to properly resource the teams that investigate domestic abuse",
			"Vulnerability investigation teams are responsible for investigating domestic abuse, but they lack capacity and capability. This is leading to ineffective and delayed investigations and at times a failure to properly manage the risk to victims.",
			"The force has begun to address this by putting more trained detectives into the team and through the timely accreditation to detective level of some existing team members. It has also appointed a dedicated chief superintendent for domestic abuse to oversee and deliver improvements.",
		},
	},
	{ // lines 809-817
		Key: "allocation", Type: model.AFI, Area: areaInvestigate,
		Title: "Timely allocation and investigation of crimes",
		Verbatim: []string{
			"The force needs to make sure that crimes are allocated and investigated in a timely manner",
			"Delays in allocating crimes to an investigator are leading to significant delays to the start of investigations. Investigations are not always progressed in a timely manner.",
			"These delays can result in the loss of evidence and cause victims to disengage.",
		},
	},
	{ // lines 819-825
		Key: "investigation-plans", Type: model.AFI, Area: areaInvestigate,
		Title: "Investigation plans and supervision",
		Verbatim: []string{
			"Investigation plans should be created where applicable and properly supervised",
			"Some investigations lacked an investigation plan and weren’t regularly reviewed to make sure enquiries were conducted in a timely manner. In some cases, this led to slow and incomplete investigations.",
		},
	},
	{ // lines 845-851: the box continued on the next page.
		Key: "evidence-led", Type: model.AFI, Area: areaInvestigate,
		Title: "Evidence-led prosecutions when victims disengage",
		Verbatim: []string{
			"The force needs to take every opportunity to pursue offenders when victims disengage",
			"The force isn’t always considering evidence-led prosecutions if a victim withdraws support for an investigation, which means an opportunity to protect victims from future abuse and bring offenders to justice is missed.",
		},
	},
	{ // lines 853-861
		Key: "victim-needs", Type: model.AFI, Area: areaInvestigate,
		Title: "Victim needs assessments",
		Verbatim: []string{
			"The force needs to make sure the needs of all victims are assessed so they can be supported",
			"Kent Police isn’t always completing and recording victim needs assessments.",
			"These assessments ensure that any special measures required by the victim are identified at an early stage, so the victim receives the appropriate support throughout the investigation and subsequent prosecution.",
		},
	},
	{ // lines 863-871
		Key: "withdrawal-records", Type: model.AFI, Area: areaInvestigate,
		Title: "Recording why victims withdraw support",
		Verbatim: []string{
			"The force needs to improve how it records why victims withdraw their support for investigations",
			"An auditable record of the victim’s wishes, such as a signed statement, was rarely obtained in the cases we reviewed.",
			"This is important to evidence those wishes and understand the reasons why victims do not support a prosecution.",
		},
	},
	{ // lines 993-1003
		Key: "da-orders", Type: model.AFI, Area: areaVulnerable,
		Title: "Domestic abuse protection notices and orders",
		Verbatim: []string{
			"The force should make sure that orders protecting victims of domestic abuse are considered in all appropriate cases",
			"We found that the force isn’t always taking opportunities to pursue offenders in domestic abuse cases when victims disengage or fail to support prosecutions. We also found limited evidence of preventative measures such as Domestic Violence Prevention Notices and Domestic Violence Prevention Orders being implemented or even considered in the cases we reviewed. This may mean victims remain at risk, offenders escape justice and the force is unable to reduce demand.",
		},
	},
	{ // lines 1005-1016
		Key: "pvp-wellbeing", Type: model.AFI, Area: areaVulnerable,
		Title: "Wellbeing of staff protecting vulnerable people",
		Verbatim: []string{
			"The force should maintain and improve the wellbeing of staff involved in protecting vulnerable people",
			"Despite a range of wellbeing support and advice being available, staff working with the most vulnerable victims often do not feel cared for and supported. In particular, staff investigating sensitive and often traumatic cases involving children, such as online investigation and child protection teams, felt the enhanced wellbeing provision put in place for them appeared to be geared towards identifying unsuitability for the role rather than supporting staff struggling to remain in post. This could lead to staff manipulating answers and issues remaining hidden.",
		},
	},
	{ // lines 1136-1145
		Key: "bail-rui", Type: model.AFI, Area: areaOffenders,
		Title: "Bail and released under investigation (RUI) policy",
		Verbatim: []string{
			"The force needs to review its policy for people released on bail and while under investigation",
			"The force’s current arrangements to deliver swift justice aren’t working well enough. There are often significant delays in the progress of cases, especially for suspects who have been released under investigation.",
			"These delays can have a detrimental effect on victims, witnesses and suspects and may ultimately lead to victims disengaging from the process.",
		},
	},
	{ // lines 1147-1159
		Key: "rso-model", Type: model.AFI, Area: areaOffenders,
		Title: "Registered sex offender management operating model",
		Verbatim: []string{
			"The force needs to review whether its operating model is hampering its ability to effectively manage registered sex offenders",
			"The current structure for managing of registered sex offenders through a combined central and local approach is leading to a variance in performance across the force. Most notably, there is an inconsistent response to visiting even the highest risk offenders and frequent delays in completion and review of assessments and risk-mitigation plans.",
			"These inconsistencies and delays in response could reduce opportunities to identify or prevent potential re-offending by people already convicted of serious crimes.",
		},
	},
	{ // lines 1196-1209: the box continued at the end of the next page.
		Key: "online-child-abuse", Type: model.AFI, Area: areaOffenders,
		Title: "Digital capability and capacity against online child abuse",
		Verbatim: []string{
			"The force should review its digital capability and capacity to effectively target online child abuse",
			"Kent Police needs to ensure that its paedophile online investigation teams can effectively and proactively investigate abuse and identify and protect victims. The force should aim to reduce the length of investigations caused by delays in examining digital devices, such as suspects’ computers.",
			"Some staff lack awareness of the opportunities the early examination of devices can provide and IT infrastructure limitations are potentially leading to missed opportunities for image collection and review. The lack of awareness and support could reduce opportunities to identify vulnerable children and intervene against serious offenders.",
		},
	},
	{ // lines 1467-1488: the box (heading at line 1458) came out at the end of its page.
		Key: "efficiency", Type: model.AFI, Area: areaEfficiency,
		Title: "Allocating resources to meet demand",
		Verbatim: []string{
			"The force needs to review how it allocates resources to ensure it can meet demand",
			"The force lacks a comprehensive analysis of its resources and doesn’t have a full picture of its capabilities in key areas. This affects its ability to provide an effective and efficient service.",
			"A monthly panel assists with the deployment of resources across the force to balance divisional and command demands. When the force is predicting the resources it will need – such as how many response officers on a shift – it uses certain measurements including how much work a crime investigation might need or the productivity and capabilities of a member of staff. These are estimates and don’t take into account the disproportionately high number of relatively new, less experienced staff with fewer skills. Given the force has insufficient suitably trained staff in both its response and divisional investigative teams, the figures cannot be relied upon, which means optimum performance isn’t guaranteed.",
			"Poor resourcing in key areas of the force will affect the quality of service provided to victims and the public in general and we were told that officers are under pressure with increased demand and are periodically diverted away from their normal duties.",
		},
	},
	{ // lines 406-420
		Key: "ip-problem-solving", Type: model.InnovativePractice, Area: areaFairness,
		Title: "Problem-solving taskforce (innovative practice)",
		Verbatim: []string{
			"The force adopts a proactive approach to community engagement",
			"The force has a proactive and preventative approach to community policing through its problem-solving taskforce. This team of 21 police community support officers, funded by the police and crime commissioner, targets areas where there are significant crime problems or where confidence in policing may be lacking. The team provides community reassurance and gathers intelligence with the aim of preventing crime, disrupting offenders and stopping anti-social behaviour. The unit supports this collaboration with the community through Twitter accounts dedicated to each division.",
			"Anonymous surveys are a vital tool in this process, giving people the opportunity to provide information to police. This can help officers work with other organisations to solve community problems, such as obtaining closure orders for premises used for drug supply.",
		},
	},
	{ // lines 542-556
		Key: "ip-operation-engage", Type: model.InnovativePractice, Area: areaPrevention,
		Title: "Operation Engage: vulnerable repeat callers (innovative practice)",
		Verbatim: []string{
			"The force has adopted a proactive approach to vulnerable repeat callers",
			"Kent Police’s Operation Engage addresses the high volume of repeat calls from vulnerable people. A central co-ordinator in the force control and incident room monitors and collates the repeat calls, then multi-agency vulnerability panels in each district offer support to the callers, such as referrals to drug and alcohol or mental health services. They will take enforcement action if the strategies fail.",
			"Each caller has a plan owned by a dedicated police community support officer (PCSO) known as a vulnerable adult intervention officer. Over 150 individuals have been supported to date with an estimated £97,000 in savings achieved from reduced call times and attendance by police. The force produces a monthly Operation Engage ‘Top 10’ briefing for local units highlighting the most frequent callers. Operation Engage was recently recognised at the annual force awards and has been nominated for national accolades.",
		},
	},
}
