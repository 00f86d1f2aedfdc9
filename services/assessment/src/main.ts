import { runService } from '@xueji/service-kit';
import { assessment } from './service';

runService(assessment);
