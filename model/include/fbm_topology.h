/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

#ifndef _FBM_TOPOLOGY_H_
#define _FBM_TOPOLOGY_H_

/*
 * How model ports are cabled: the one wire grammar of every front end of
 * the model (the net_fbnic_model vdev's wire= devarg, fbnic-vfu-server's
 * --wire) and a registry of named ports, so that a cable between two ports
 * can be declared on either end, before the other end exists. Plain C.
 */

#include <stdbool.h>

#include "fbnic_model.h"

/* The grammar, for help texts and error messages. */
#define FBM_WIRE_GRAMMAR \
	"none|loopback|peer[:<port>]|afpacket:<ifname>|pcap:[<in>][:<out>]"

enum fbm_wire_spec_kind {
	FBM_WIRE_SPEC_UNSET = 0,	/* none, unless another port waits for this one */
	FBM_WIRE_SPEC_NONE,
	FBM_WIRE_SPEC_LOOPBACK,
	FBM_WIRE_SPEC_PEER,		/* arg: the other port, "" = the front end's other port */
	FBM_WIRE_SPEC_AFPACKET,	/* arg: the interface */
	FBM_WIRE_SPEC_PCAP,		/* pcap_in / pcap_out, either may be empty */
};

#define FBM_TOPO_NAME_MAX	64
#define FBM_TOPO_PATH_MAX	256

struct fbm_wire_spec {
	enum fbm_wire_spec_kind kind;
	char arg[FBM_TOPO_NAME_MAX];
	char pcap_in[FBM_TOPO_PATH_MAX];
	char pcap_out[FBM_TOPO_PATH_MAX];
};

/*
 * Parse one wire: "none", "loopback", "peer" or "peer:<port>",
 * "afpacket:<ifname>", "pcap:<in>", "pcap:<in>:<out>" or "pcap::<out>"
 * (pcap paths cannot hold ':'). Returns 0, or -EINVAL for anything else
 * (spec is then zeroed).
 */
int fbm_wire_spec_parse(const char *text, struct fbm_wire_spec *spec);

/* Plug a wire that needs no other port (any kind but FBM_WIRE_SPEC_PEER). */
int fbm_wire_spec_apply(struct fbm_dev *dev, const struct fbm_wire_spec *spec);

/* ---- Registry of named ports --------------------------------------------- */

#define FBM_TOPO_MAX_PORTS	32

struct fbm_topology;

/* The process's registry (created on first use; never freed). */
struct fbm_topology *fbm_topology_global(void);

/* Add a port; -EEXIST for a name in use, -ENOSPC beyond FBM_TOPO_MAX_PORTS. */
int fbm_topo_add(struct fbm_topology *t, const char *name, struct fbm_dev *dev);
/* Forget a port (its wire stays as it is: fbm_destroy() unplugs it). */
void fbm_topo_remove(struct fbm_topology *t, struct fbm_dev *dev);
/* The device of a named port, or NULL. */
struct fbm_dev *fbm_topo_find(struct fbm_topology *t, const char *name);

/*
 * Plug the wire of the port named name, added before:
 * - FBM_WIRE_SPEC_PEER to a port that exists: the cable is connected now;
 * - FBM_WIRE_SPEC_PEER to a port that does not exist yet but will
 *   (will_exist(peer, ctx) says so): the port stays unplugged and the
 *   cable is connected when that port is plugged with FBM_WIRE_SPEC_UNSET;
 * - FBM_WIRE_SPEC_UNSET: the cable of a port waiting for this one, else none;
 * - the other kinds: as fbm_wire_spec_apply().
 * Returns 0, -ENODEV (no such peer, or the port itself: use loopback) or
 * the wire's error; every failure is logged through the device.
 */
int fbm_topo_plug(struct fbm_topology *t, const char *name, const struct fbm_wire_spec *spec,
		  bool (*will_exist)(const char *peer, void *ctx), void *ctx);

#endif /* _FBM_TOPOLOGY_H_ */
