import { runService } from '@xueji/service-kit';
import { graduation } from './service';

runService(graduation);
