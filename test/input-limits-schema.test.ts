/**
 * Issue 10: the input limits are declared once (`@xueji/rules`: TEXT_LIMITS, LIST_LIMITS,
 * DATE_LIMITS) and stated in the schema description of every field they apply to. A limit changed
 * in one place and not the other fails here.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { isInputObjectType, parse, type GraphQLSchema } from 'graphql';
import { DATE_LIMITS, LIST_LIMITS, TEXT_LIMITS } from '@xueji/rules';

const schemaOf = (service: string): GraphQLSchema =>
  buildSubgraphSchema({
    typeDefs: parse(readFileSync(join(__dirname, '..', 'services', service, 'src/schema.graphql'), 'utf8')),
  });

/** `Type.field` of an input type, or `Mutation.field(arg:)`. */
function descriptionOf(schema: GraphQLSchema, coordinate: string): string {
  const arg = /^Mutation\.(\w+)\((\w+):\)$/.exec(coordinate);
  if (arg) {
    const field = schema.getMutationType()!.getFields()[arg[1]!]!;
    return field.args.find((a) => a.name === arg[2])!.description ?? '';
  }
  const [type, field] = coordinate.split('.') as [string, string];
  const input = schema.getType(type);
  if (!isInputObjectType(input)) throw new Error(`${type} is not an input type`);
  return input.getFields()[field]!.description ?? '';
}

const text = (key: keyof typeof TEXT_LIMITS) => `At most ${TEXT_LIMITS[key].max.toLocaleString('en')} characters`;
const list = (key: keyof typeof LIST_LIMITS) => `At most ${LIST_LIMITS[key].toLocaleString('en')}`;
const date = (key: keyof typeof DATE_LIMITS) => `From ${DATE_LIMITS[key].earliest}`;

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
  },
  subsidy: {
    'Mutation.markEntitlementsPaid(ids:)': list('entitlementIds'),
    'Mutation.reviewFraudSignal(reason:)': `1–${TEXT_LIMITS.reason.max} characters`,
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
