import { runService } from '@xueji/service-kit';
import { subsidy } from './service';

runService(subsidy);
