// The Kubernetes version minik's API behaves as (kubectl warns beyond ±1 minor of skew,
// so this sits in the middle of the kubectl versions people use), and minik's own version.
export const KUBE_MINOR = '32';
export const MINIK_VERSION = '0.1.0';
export const KUBE_GIT_VERSION = `v1.${KUBE_MINOR}.0+minik`;
