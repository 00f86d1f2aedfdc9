import { runService } from '@xueji/service-kit';
import { statusChange } from './service';

runService(statusChange);
