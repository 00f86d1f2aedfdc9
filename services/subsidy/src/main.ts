// First: turns tracing on (when an OTLP endpoint is configured) before http, express, graphql and pg load.
import '@xueji/tracing/src/register';
import { runService } from '@xueji/service-kit';
import { subsidy } from './service';

runService(subsidy);
