// apps/v1: Deployment, ReplicaSet, StatefulSet, DaemonSet.
import { formatLabels } from '@minik/api';
import { AGE, CONTAINERS, IMAGES, NAME, ageOf, col, containerCells, nameOf, printer, selectorCell, selectorString, wide } from './helpers.js';
import { DOC } from './descriptions.js';
import type { DaemonSet, Deployment, ReplicaSet, StatefulSet } from './shapes.js';

// spec.replicas is defaulted to 1 by the apiserver; printers see defaulted objects.
const replicas = (spec: { replicas?: number } | undefined) => spec?.replicas ?? 1;

export const deploymentPrinter = printer<Deployment>(
  [
    NAME,
    col('Ready', 'string', 'Number of the pod with ready state'),
    col('Up-to-date', 'string', DOC['DeploymentStatus.updatedReplicas']),
    col('Available', 'string', DOC['DeploymentStatus.availableReplicas']),
    AGE,
    CONTAINERS,
    IMAGES,
    col('Selector', 'string', DOC['DeploymentSpec.selector'], wide),
  ],
  (d, now) => {
    const st = d.status ?? {};
    const [names, images] = containerCells(d.spec?.template?.spec?.containers);
    return [
      nameOf(d),
      `${st.readyReplicas ?? 0}/${replicas(d.spec)}`,
      st.updatedReplicas ?? 0,
      st.availableReplicas ?? 0,
      ageOf(d, now),
      names,
      images,
      selectorString(d.spec?.selector),
    ];
  },
);

export const replicaSetPrinter = printer<ReplicaSet>(
  [
    NAME,
    col('Desired', 'integer', DOC['ReplicaSetSpec.replicas']),
    col('Current', 'integer', DOC['ReplicaSetStatus.replicas']),
    col('Ready', 'integer', DOC['ReplicaSetStatus.readyReplicas']),
    AGE,
    CONTAINERS,
    IMAGES,
    col('Selector', 'string', DOC['ReplicaSetSpec.selector'], wide),
  ],
  (rs, now) => {
    const [names, images] = containerCells(rs.spec?.template?.spec?.containers);
    return [nameOf(rs), replicas(rs.spec), rs.status?.replicas ?? 0, rs.status?.readyReplicas ?? 0, ageOf(rs, now), names, images, selectorCell(rs.spec?.selector)];
  },
);

export const statefulSetPrinter = printer<StatefulSet>(
  [NAME, col('Ready', 'string', 'Number of the pod with ready state'), AGE, CONTAINERS, IMAGES],
  (sts, now) => {
    const [names, images] = containerCells(sts.spec?.template?.spec?.containers);
    return [nameOf(sts), `${sts.status?.readyReplicas ?? 0}/${replicas(sts.spec)}`, ageOf(sts, now), names, images];
  },
);

export const daemonSetPrinter = printer<DaemonSet>(
  [
    NAME,
    col('Desired', 'integer', DOC['DaemonSetStatus.desiredNumberScheduled']),
    col('Current', 'integer', DOC['DaemonSetStatus.currentNumberScheduled']),
    col('Ready', 'integer', DOC['DaemonSetStatus.numberReady']),
    col('Up-to-date', 'integer', DOC['DaemonSetStatus.updatedNumberScheduled']),
    col('Available', 'integer', DOC['DaemonSetStatus.numberAvailable']),
    col('Node Selector', 'string', DOC['PodSpec.nodeSelector']),
    AGE,
    CONTAINERS,
    IMAGES,
    col('Selector', 'string', DOC['DaemonSetSpec.selector'], wide),
  ],
  (ds, now) => {
    const st = ds.status ?? {};
    const [names, images] = containerCells(ds.spec?.template?.spec?.containers);
    return [
      nameOf(ds),
      st.desiredNumberScheduled ?? 0,
      st.currentNumberScheduled ?? 0,
      st.numberReady ?? 0,
      st.updatedNumberScheduled ?? 0,
      st.numberAvailable ?? 0,
      formatLabels(ds.spec?.template?.spec?.nodeSelector),
      ageOf(ds, now),
      names,
      images,
      selectorCell(ds.spec?.selector),
    ];
  },
);
