import { runService } from '@xueji/service-kit';
import { enrolment } from './service';

runService(enrolment);
