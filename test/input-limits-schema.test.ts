/**
 * Issue 10: the input limits are declared once (`@xueji/rules`: TEXT_LIMITS, LIST_LIMITS,
 * DATE_LIMITS) and stated in the schema description of every field they apply to. A limit changed
 * in one place and not the other fails here.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { getNamedType, isInputObjectType, isObjectType, parse, type GraphQLSchema } from 'graphql';
import { DATE_LIMITS, LIST_LIMITS, TEXT_LIMITS } from '@xueji/rules';

const schemaOf = (service: string): GraphQLSchema =>
  buildSubgraphSchema({
    typeDefs: parse(readFileSync(join(__dirname, '..', 'services', service, 'src/schema.graphql'), 'utf8')),
  });

/** `Type.field` of an input type, or `Type.field(arg:)` of an object type (`Mutation`, `Query`, …). */
function descriptionOf(schema: GraphQLSchema, coordinate: string): string {
  const arg = /^(\w+)\.(\w+)\((\w+):\)$/.exec(coordinate);
  if (arg) {
    const type = schema.getType(arg[1]!);
    if (!isObjectType(type)) throw new Error(`${arg[1]} is not an object type`);
    const field = type.getFields()[arg[2]!]!;
    return field.args.find((a) => a.name === arg[3])!.description ?? '';
  }
  const [type, field] = coordinate.split('.') as [string, string];
  const input = schema.getType(type);
  if (!isInputObjectType(input)) throw new Error(`${type} is not an input type`);
  return input.getFields()[field]!.description ?? '';
}

const text = (key: keyof typeof TEXT_LIMITS) => `At most ${TEXT_LIMITS[key].max.toLocaleString('en')} characters`;
const list = (key: keyof typeof LIST_LIMITS) => `At most ${LIST_LIMITS[key].toLocaleString('en')}`;
const date = (key: keyof typeof DATE_LIMITS) => `From ${DATE_LIMITS[key].earliest}`;

/** What every ID argument states: the form the services check before any I/O (`uuid` of @xueji/rules). */
const UUID = 'UUID';

const STATED: Record<string, Record<string, string>> = {
  enrolment: {
    'RegistrationInput.name': text('personName'),
    'RegistrationInput.idNumber': text('idNumber'),
    'RegistrationInput.ethnicity': text('ethnicity'),
    'RegistrationInput.address': text('address'),
    'RegistrationInput.contact': text('contact'),
    'RegistrationInput.photoRef': text('reference'),
    'RegistrationInput.partnerCollege': text('institution'),
    'RegistrationInput.jointPartner': text('institution'),
    'RegistrationInput.majorCode': text('code'),
    'RegistrationInput.majorCategoryCode': text('code'),
    'RegistrationInput.className': text('className'),
    'RegistrationInput.birthDate': date('birthDate'),
    'RegistrationInput.entryDate': date('entryDate'),
    'ArrivalInput.reportBy': date('arrivalDate'),
    'ArrivalInput.arrivedOn': date('arrivalDate'),
    'SchoolPrincipalInput.principalName': text('principalName'),
    'RosterImportInput.fileName': text('fileName'),
    'RosterImportInput.contentBase64': text('fileBase64'),
    'OtherStatusInput.institution': text('institution'),
    'OtherStatusInput.idNumber': '18-character ID-card number with a valid check character',
    'Mutation.importOtherStatusRecords(records:)': 'at most 50,000',
    'Mutation.approveRegistrations(comment:)': text('comment'),
    'Mutation.rejectRegistrations(reason:)': text('reason'),
    'Mutation.cancelRegistration(reason:)': text('reason'),
    'Mutation.deferAdmission(certificateRef:)': text('reference'),
    'Mutation.readmitDeferred(certificateRef:)': text('reference'),
    'Mutation.recordTermRegistration(studentIds:)': list('studentIds'),
    'Mutation.recordTermRegistration(term:)': text('term'),
    'Query.studentByNumber(studentNumber:)': text('studentNumber'),
    'Query.studentByIdNumber(idNumber:)': text('idNumber'),
    'Query.schools(regionCode:)': '6 digits',
    'Query.majors(categoryCode:)': text('code'),
    'School.headcount(term:)': text('term'),
  },
  'status-change': {
    'ChangeRequestInput.effectiveDate': date('effectiveDate'),
    'ChangeRequestInput.evidenceRefs': list('evidenceRefs'),
    'ChangeRequestInput.comment': text('comment'),
    'MajorChangeInput.toMajorCode': text('code'),
    'ResumptionInput.healthCertificateRef': text('reference'),
    'WithdrawalInput.guardianConsentRef': text('reference'),
    'CorrectionFieldInput.field': text('fieldName'),
    'CorrectionFieldInput.oldValue': text('fieldValue'),
    'CorrectionFieldInput.newValue': text('fieldValue'),
    'CorrectionInput.fields': list('correctionFields'),
    'Mutation.approveChangeRequest(comment:)': text('comment'),
    'Mutation.rejectChangeRequest(reason:)': text('reason'),
    'Mutation.withdrawChangeRequest(reason:)': text('reason'),
    'Mutation.recordGuardianNotice(ref:)': text('reference'),
    'Query.monthlyReport(month:)': 'YYYY-MM',
    'Query.monthlyReport(regionCode:)': '6 digits',
  },
  // assessment, part B (attendance, sanctions, appeals, calendar, rewards, internships, AS-17)
  assessment: {
    'TruancyInput.on': date('pastDate'),
    'TruancyInput.reason': text('reason'),
    'AbsenceInput.from': date('pastDate'),
    'AbsenceInput.to': date('pastDate'),
    'AbsenceInput.reason': text('reason'),
    'SanctionInput.decidedOn': date('pastDate'),
    'SanctionInput.reason': text('reason'),
    'SanctionInput.decisionRef': text('reference'),
    'SanctionNoticeInput.deliveredOn': date('pastDate'),
    'SanctionNoticeInput.noticeRef': text('reference'),
    'SanctionNoticeInput.postingRef': text('reference'),
    'RevocationInput.reason': text('reason'),
    'RevocationInput.applicationRef': text('reference'),
    'AppealInput.receivedOn': date('pastDate'),
    'AppealInput.statementRef': text('reference'),
    'AppealDecisionInput.decidedOn': date('pastDate'),
    'AppealDecisionInput.deliveredOn': date('pastDate'),
    'AppealDecisionInput.decisionRef': text('reference'),
    'AppealDecisionInput.reason': text('reason'),
    'WorkingDayCalendarInput.holidays': list('calendarDays'),
    'WorkingDayCalendarInput.workdays': list('calendarDays'),
    'WorkingDayCalendarInput.source': text('reference'),
    'Mutation.approveExpulsion(comment:)': text('comment'),
    'Mutation.rejectExpulsion(reason:)': text('reason'),
    'Student.attendance(semester:)': 'YYYY-YYYY-N',
    'RewardInput.title': text('institution'),
    'RewardInput.awardedBy': text('institution'),
    'RewardInput.awardedOn': date('pastDate'),
    'RewardInput.postingRef': text('reference'),
    'RewardInput.notifiedOn': date('pastDate'),
    'InternshipInput.employer': text('institution'),
    'InternshipInput.post': text('institution'),
    'InternshipInput.startsOn': date('effectiveDate'),
    'InternshipInput.endsOn': date('effectiveDate'),
    'InternshipInput.agreementRef': text('reference'),
    'InternshipInput.appliedOn': date('pastDate'),
    'InternshipAssessmentInput.assessedOn': date('pastDate'),
    'InternshipAssessmentInput.employerAssessmentRef': text('reference'),
    'InternshipAssessmentInput.schoolAssessmentRef': text('reference'),
    'GraduationInputInput.heldOn': date('pastDate'),
    'CreditRecognitionInput.certificateTitle': text('institution'),
    'CreditRecognitionInput.certificateNumber': text('code'),
    'CreditRecognitionInput.issuedOn': date('pastDate'),
    'GraduationInputInput.ref': text('reference'),
    // part A (plans, results, conduct, credit recognition, spreadsheets)
    'TeachingPlanInput.majorCode': text('code'),
    'TeachingPlanInput.name': text('courseName'),
    'TeachingPlanInput.courses': list('planCourses'),
    'CourseInput.code': text('code'),
    'CourseInput.name': text('courseName'),
    'RecordResultsInput.entries': list('resultEntries'),
    'ConductInput.term': text('term'),
    'ConductInput.comment': text('appraisal'),
    'CreditConversionInput.certificateCode': text('code'),
    'CreditConversionInput.exemptCourseCodes': list('planCourses'),
    'CreditRecognitionInput.certificateCode': text('code'),
    'CreditRecognitionInput.evidenceRef': text('reference'),
    'PeExemptionInput.certificateRef': text('reference'),
    'ResultsImportInput.fileName': text('fileName'),
    'ResultsImportInput.contentBase64': text('fileBase64'),
    // AS-3 timing: the exam date of a sitting, the school's make-up periods
    'RecordResultsInput.examDate': date('pastDate'),
    'ResultsImportInput.examDate': date('pastDate'),
    'MakeUpPeriodInput.startsOn': date('effectiveDate'),
    'MakeUpPeriodInput.endsOn': date('effectiveDate'),
  },
  graduation: {
    'GraduateListInput.term': text('term'),
    'GraduateListInput.studentIds': list('studentIds'),
    'HeldCertificateInput.title': text('institution'),
    'HeldCertificateInput.number': text('code'),
    'HeldCertificateInput.issuedOn': date('pastDate'),
    'Mutation.approveGraduateList(verificationSheetRef:)': text('reference'),
    'Mutation.rejectGraduateList(reason:)': text('reason'),
    'Mutation.exchangeCompletionCertificate(verificationSheetRef:)': text('reference'),
    'Mutation.recordDiplomaVerification(verifiedOn:)': date('pastDate'),
    'Mutation.voidDiplomaBlank(number:)': text('certificateNumber'),
    'Mutation.voidDiplomaBlank(reason:)': text('reason'),
    'CredentialCertificateInput.lossNoticeRef': text('reference'),
    'CredentialCertificateInput.verificationSheetRef': text('reference'),
    'CredentialCertificateInput.reason': text('reason'),
    'VerificationDataCorrectionInput.name': text('personName'),
    'VerificationDataCorrectionInput.birthDate': date('birthDate'),
    'VerificationDataCorrectionInput.majorCode': text('code'),
    'VerificationDataCorrectionInput.reason': text('reason'),
    'VerificationDataCorrectionInput.evidenceRef': text('reference'),
    'Mutation.rejectVerificationDataCorrection(reason:)': text('reason'),
    'Query.certificateLookup(number:)': text('certificateNumber'),
    'Query.certificateLookup(name:)': text('personName'),
    'Query.verifyCredential(credential:)': text('credential'),
    'Query.graduationFigures(term:)': 'YYYY-spring or YYYY-autumn',
    'Query.graduationFigures(regionCode:)': '6 digits',
    'Query.graduationFiguresFile(term:)': 'YYYY-spring or YYYY-autumn',
    'Query.graduationFiguresFile(regionCode:)': '6 digits',
  },
  partners: {
    'RegisterPartnerInput.name': text('institution'),
    'RegisterPartnerInput.eventTypes': list('eventTypes'),
    'RegisterPartnerInput.endpointUrl': 'at most 2,000 characters',
    'UpdatePartnerInput.name': text('institution'),
    'UpdatePartnerInput.eventTypes': list('eventTypes'),
    'UpdatePartnerInput.endpointUrl': 'at most 2,000 characters',
  },
  subsidy: {
    'Mutation.markEntitlementsPaid(ids:)': list('entitlementIds'),
    'Mutation.reviewFraudSignal(reason:)': `1–${TEXT_LIMITS.reason.max} characters`,
    'Student.subsidyEligibility(asOf:)': 'YYYY-MM-DD',
  },
};

describe('the schema descriptions state the input limits of @xueji/rules (issue 10)', () => {
  for (const [service, coordinates] of Object.entries(STATED)) {
    it(`${service}`, () => {
      const schema = schemaOf(service);
      const missing = Object.entries(coordinates)
        .filter(([coordinate, phrase]) => !descriptionOf(schema, coordinate).includes(phrase))
        .map(([coordinate, phrase]) => `${coordinate}: "${phrase}"`);
      expect(missing).toEqual([]);
    });
  }
});

/**
 * Issue 10: every String, ID and Date argument of every field states its limit, not only the
 * input-object fields above. An ID argument states that it is a UUID; a page cursor `after` the
 * cursor's length (TEXT_LIMITS.cursor); any other argument must be listed in STATED, so a new
 * argument without a stated limit fails here.
 */
const SERVICES = ['enrolment', 'status-change', 'assessment', 'graduation', 'subsidy', 'partners'].filter((service) =>
  existsSync(join(__dirname, '..', 'services', service, 'src/schema.graphql')),
);

/** The phrase an argument's description must hold, or null when no limit is known for it. */
function expectedPhrase(service: string, coordinate: string, argument: string, type: string): string | null {
  const stated = STATED[service]?.[coordinate];
  if (stated) return stated;
  if (type === 'ID') return UUID;
  if (argument === 'after' && type === 'String') return text('cursor');
  return null;
}

describe('every String, ID and Date argument states its limit (issue 10)', () => {
  for (const service of SERVICES) {
    it(`${service}`, () => {
      const schema = schemaOf(service);
      const problems: string[] = [];
      for (const type of Object.values(schema.getTypeMap())) {
        if (!isObjectType(type) || type.name.startsWith('_')) continue;
        for (const field of Object.values(type.getFields())) {
          if (field.name.startsWith('_')) continue; // federation's _entities, _service
          for (const arg of field.args) {
            const named = getNamedType(arg.type).name;
            if (!['String', 'ID', 'Date'].includes(named)) continue;
            const coordinate = `${type.name}.${field.name}(${arg.name}:)`;
            const phrase = expectedPhrase(service, coordinate, arg.name, named);
            if (phrase === null) problems.push(`${coordinate}: no limit listed for it in this test`);
            else if (!(arg.description ?? '').includes(phrase)) problems.push(`${coordinate}: "${phrase}"`);
          }
        }
      }
      expect(problems).toEqual([]);
    });
  }
});
