// The Alertmanager configuration, from the model: one route per owner (each tenant, and `platform` for the
// platform's own alerts) matched on the `tenant` label; inside it `critical` pages the owner's PagerDuty service
// and everything else goes to the owners' Slack channels. Inhibitions come from model/monitoring.ts. Receiver
// credentials are files of the `alertmanager-receivers` Secret (an ExternalSecret), never values here.
import type { LoadedAlertOwner, LoadedModel } from '../../../model/loaded.ts';
import { goDuration } from '../../../model/secrets.ts';
import { alertmanagerSecretFile } from './names.ts';

/** Who an alert's `tenant` label names: a tenant, or the platform team. */
export interface AlertRecipient {
  /** The value of the `tenant` label. */
  tenant: string;
  owners: LoadedAlertOwner[];
}

/** The `tenant` label value of the platform's own alerts (contract 1). */
export const PLATFORM_TENANT = 'platform';

export function alertRecipients(model: LoadedModel): AlertRecipient[] {
  const fallback = model.platform.monitoring.alerting.defaultSlackChannel;
  return [
    ...model.tenants.map((t) => ({ tenant: t.name, owners: t.owners.map((o) => ({ team: o.team, email: o.email, slack: o.slack ?? fallback })) })),
    { tenant: PLATFORM_TENANT, owners: model.platform.monitoring.platformOwners },
  ];
}

/** Keys of the receivers Secret: one PagerDuty routing key per recipient, one Slack webhook URL per channel. */
export function pagerDutyKey(recipient: AlertRecipient): string {
  return `pagerduty-${recipient.tenant}`;
}
export function slackKey(channel: string): string {
  return `slack-${channel.replace(/^#/, '').replace(/[^a-z0-9-]/gi, '-').toLowerCase()}`;
}
export function receiverKeys(model: LoadedModel): string[] {
  const recipients = alertRecipients(model);
  const channels = recipients.flatMap((r) => r.owners.map((o) => o.slack));
  return [...new Set([...recipients.map(pagerDutyKey), ...channels.map(slackKey)])].sort();
}

export const pagerDutyReceiver = (tenant: string) => `${tenant}-pagerduty`;
export const slackReceiver = (tenant: string) => `${tenant}-slack`;

const ownersText = (owners: LoadedAlertOwner[]) => owners.map((o) => `${o.team} <${o.email}>`).join(', ');

function receivers(recipient: AlertRecipient): Record<string, unknown>[] {
  const owners = ownersText(recipient.owners);
  const channels = [...new Set(recipient.owners.map((o) => o.slack))];
  return [
    {
      name: pagerDutyReceiver(recipient.tenant),
      pagerduty_configs: [{
        routing_key_file: alertmanagerSecretFile(pagerDutyKey(recipient)),
        send_resolved: true,
        severity: 'critical',
        description: '{{ .CommonLabels.alertname }}: {{ .CommonAnnotations.summary }}',
        details: { tenant: recipient.tenant, owners, runbook: '{{ .CommonAnnotations.runbook_url }}', firing: '{{ .Alerts.Firing | len }}' },
      }],
    },
    {
      name: slackReceiver(recipient.tenant),
      slack_configs: channels.map((channel) => ({
        api_url_file: alertmanagerSecretFile(slackKey(channel)),
        channel,
        send_resolved: true,
        title: '[{{ .Status | toUpper }}] {{ .CommonLabels.severity }} {{ .CommonLabels.alertname }}',
        text: `{{ .CommonAnnotations.summary }}\n{{ .CommonAnnotations.description }}\nRunbook: {{ .CommonAnnotations.runbook_url }}\nOwners: ${owners}`,
      })),
    },
  ];
}

/** The whole Alertmanager configuration file, as an object (the chart's `alertmanager.config`). */
export function alertmanagerConfig(model: LoadedModel): Record<string, unknown> {
  const alerting = model.platform.monitoring.alerting;
  const recipients = alertRecipients(model);
  const ownerRoute = (r: AlertRecipient) => ({
    receiver: slackReceiver(r.tenant),
    matchers: [`tenant="${r.tenant}"`],
    routes: [{ receiver: pagerDutyReceiver(r.tenant), matchers: ['severity="critical"'] }],
  });
  return {
    global: { resolve_timeout: '5m' },
    route: {
      // Alerts without a known tenant are the platform team's.
      receiver: slackReceiver(PLATFORM_TENANT),
      group_by: [...alerting.groupBy],
      group_wait: goDuration(alerting.groupWait),
      group_interval: goDuration(alerting.groupInterval),
      repeat_interval: goDuration(alerting.repeatInterval),
      routes: [
        ...recipients.map(ownerRoute),
        { receiver: pagerDutyReceiver(PLATFORM_TENANT), matchers: ['severity="critical"'] },
      ],
    },
    inhibit_rules: alerting.inhibitions.map((i) => ({
      source_matchers: [`alertname="${i.source}"`],
      target_matchers: [`alertname=~"${i.targets.join('|')}"`],
      ...(i.equal.length > 0 ? { equal: [...i.equal] } : {}),
    })),
    receivers: recipients.flatMap(receivers),
    templates: ['/etc/alertmanager/config/*.tmpl'],
  };
}
