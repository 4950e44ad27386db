/**
 * LoadBalancerPending: the target is a Service of type LoadBalancer and no address was
 * assigned (`kubectl get svc` shows EXTERNAL-IP `<pending>`). In-cluster traffic through
 * the ClusterIP is unaffected (the probe checks it as usual); clients outside the cluster
 * have nothing to connect to. Seed street-level-ops.txt: the cloud controller manager (or
 * the load-balancer controller: AWS Load Balancer Controller, MetalLB on bare metal)
 * provisions the address — check its logs, not kube-proxy's.
 *
 * A Warning: the diagnosis' own path may be healthy, so it is the root cause only when
 * nothing in-cluster fails. A manifest without a `status` (offline analysis of files that
 * were never applied) has no address yet by nature and is not judged.
 *
 * @module
 */
import type { TargetAnalyzer } from "../context.ts";
import { finding } from "../finding.ts";

export const loadBalancerAssigned: TargetAnalyzer = (ctx) => {
  const svc = ctx.service;
  if (!svc || svc.spec?.type !== "LoadBalancer" || !svc.status) return [];
  if ((svc.status.loadBalancer?.ingress ?? []).some((i) => i.ip || i.hostname)) return [];
  const name = `${svc.metadata.namespace ?? "default"}/${svc.metadata.name}`;
  const cls = svc.spec.loadBalancerClass;
  const controller = cls
    ? `the load-balancer controller of class ${cls}`
    : "the cloud controller manager (or the cluster's load-balancer controller: the AWS Load Balancer Controller on EKS, MetalLB on bare metal)";
  const ip = svc.spec.clusterIP && svc.spec.clusterIP !== "None" ? ` ${svc.spec.clusterIP}` : "";
  return [
    finding("LoadBalancerPending", "Warning", {
      target: ctx.target.name,
      message: `Service ${name} is of type LoadBalancer but has no external address (EXTERNAL-IP <pending>): clients outside the cluster cannot reach it. In-cluster traffic through its ClusterIP${ip} is not affected (the probe checks it as usual). The address is assigned by ${controller}, not by kube-proxy`,
      evidence: [`Service ${name}: spec.type LoadBalancer${cls ? `, spec.loadBalancerClass ${cls}` : ""}, status.loadBalancer.ingress empty`],
      remediation: cls
        ? `Check that the controller for loadBalancerClass ${cls} runs and read its logs and the Service's events (kubectl describe svc -n ${svc.metadata.namespace ?? "default"} ${svc.metadata.name})`
        : `Check the cloud controller manager's logs and the Service's events (kubectl describe svc -n ${svc.metadata.namespace ?? "default"} ${svc.metadata.name}; kubectl logs -n kube-system -l app=cloud-controller-manager --tail=50) — on EKS commonly missing subnet tags (kubernetes.io/role/elb=1); without a cloud (bare metal, a lab) install a load-balancer controller such as MetalLB, or use type NodePort / an Ingress`,
      escalateTo: "Platform/CNI",
    }),
  ];
};
