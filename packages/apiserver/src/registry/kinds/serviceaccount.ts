// ServiceAccount: only metadata is validated (ValidateServiceAccount); the token machinery of
// kube-controller-manager is out of minik's scope.
import type { Strategy } from '../strategy.js';

export const serviceAccountStrategy: Strategy = {
  nameValidation: 'subdomain',
  tracksGeneration: false,
};
