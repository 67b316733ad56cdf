// Kubernetes and Helm against the images they run (issue 16). The whole
// flow, as the CLI wires it:
//
//   auto inv = k8s::scan(root, {.helm = {}, .files = {}});        // manifests, charts, Dockerfiles
//   auto maps = k8s::map_images(inv, k8s::parse_config(cfg["kubernetes"], ".dockerfix.yaml"));
//   k8s::ImageUsers users;                                          // per mapped Dockerfile:
//   users[path] = k8s::image_user_of(parsed, model::analyze(parsed, kb, opts));
//   auto findings = k8s::check(inv, maps, users);                   // print where/message/rule
//   auto result = k8s::apply(inv, chosen_findings);                 // FileChange{path, before, after}
#pragma once

#include "k8s/checks.h"
#include "k8s/helm.h"
#include "k8s/image_map.h"
#include "k8s/image_user.h"
#include "k8s/inventory.h"
#include "k8s/location.h"
#include "k8s/workload.h"
#include "k8s/yaml_edit.h"
#include "k8s/yaml_file.h"
