// The rule catalog: every policy rule, one per file. docs/POLICIES.md is generated from this list.
import type { Rule } from '../lib/rule.ts';
import { rule as bApparmor } from './pss-baseline/apparmor.ts';
import { rule as bCapabilities } from './pss-baseline/capabilities.ts';
import { rule as bHostNamespaces } from './pss-baseline/host-namespaces.ts';
import { rule as bHostPathVolumes } from './pss-baseline/host-path-volumes.ts';
import { rule as bHostPorts } from './pss-baseline/host-ports.ts';
import { rule as bHostProbes } from './pss-baseline/host-probes.ts';
import { rule as bHostProcess } from './pss-baseline/host-process.ts';
import { rule as bPrivileged } from './pss-baseline/privileged.ts';
import { rule as bProcMount } from './pss-baseline/proc-mount.ts';
import { rule as bSeccomp } from './pss-baseline/seccomp.ts';
import { rule as bSelinux } from './pss-baseline/selinux.ts';
import { rule as bSysctls } from './pss-baseline/sysctls.ts';
import { rule as rAllowPrivilegeEscalation } from './pss-restricted/allow-privilege-escalation.ts';
import { rule as rCapabilities } from './pss-restricted/capabilities.ts';
import { rule as rRunAsNonRoot } from './pss-restricted/run-as-non-root.ts';
import { rule as rRunAsUser } from './pss-restricted/run-as-user.ts';
import { rule as rSeccomp } from './pss-restricted/seccomp.ts';
import { rule as rVolumeTypes } from './pss-restricted/volume-types.ts';

export const CATALOG: Rule[] = [
  bHostProcess, bHostNamespaces, bPrivileged, bCapabilities, bHostPathVolumes, bHostPorts,
  bApparmor, bSelinux, bProcMount, bSeccomp, bSysctls, bHostProbes,
  rVolumeTypes, rAllowPrivilegeEscalation, rRunAsNonRoot, rRunAsUser, rSeccomp, rCapabilities,
];
