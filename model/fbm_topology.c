/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

/* Wire grammar and the registry of named ports (fbm_topology.h). */

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fbm_internal.h"
#include "fbm_topology.h"

struct fbm_topo_port {
	char name[FBM_TOPO_NAME_MAX];
	struct fbm_dev *dev;
	/* peer:<name> given before that port existed: cable it when it comes */
	char pending_peer[FBM_TOPO_NAME_MAX];
};

struct fbm_topology {
	pthread_mutex_t lock;
	struct fbm_topo_port ports[FBM_TOPO_MAX_PORTS];
};

static bool
fbm_copy(char *dst, size_t size, const char *src, size_t len)
{
	if (len >= size)
		return false;
	memcpy(dst, src, len);
	dst[len] = '\0';
	return true;
}

int
fbm_wire_spec_parse(const char *text, struct fbm_wire_spec *spec)
{
	const char *arg, *colon;

	memset(spec, 0, sizeof(*spec));
	if (text == NULL)
		return -EINVAL;
	if (strcmp(text, "none") == 0) {
		spec->kind = FBM_WIRE_SPEC_NONE;
		return 0;
	}
	if (strcmp(text, "loopback") == 0) {
		spec->kind = FBM_WIRE_SPEC_LOOPBACK;
		return 0;
	}
	if (strcmp(text, "peer") == 0) {
		spec->kind = FBM_WIRE_SPEC_PEER;
		return 0;
	}
	if (strncmp(text, "peer:", 5) == 0 || strncmp(text, "afpacket:", 9) == 0) {
		arg = strchr(text, ':') + 1;
		if (*arg == '\0' || !fbm_copy(spec->arg, sizeof(spec->arg), arg, strlen(arg)))
			goto bad;
		spec->kind = text[0] == 'p' ? FBM_WIRE_SPEC_PEER : FBM_WIRE_SPEC_AFPACKET;
		return 0;
	}
	if (strncmp(text, "pcap:", 5) == 0) {
		arg = text + 5;
		colon = strchr(arg, ':');
		if (colon == NULL)
			colon = arg + strlen(arg);
		if (!fbm_copy(spec->pcap_in, sizeof(spec->pcap_in), arg, (size_t)(colon - arg)))
			goto bad;
		if (*colon == ':' &&
		    (strchr(colon + 1, ':') != NULL ||
		     !fbm_copy(spec->pcap_out, sizeof(spec->pcap_out), colon + 1,
			       strlen(colon + 1))))
			goto bad;
		if (spec->pcap_in[0] == '\0' && spec->pcap_out[0] == '\0')
			goto bad;
		spec->kind = FBM_WIRE_SPEC_PCAP;
		return 0;
	}
bad:
	memset(spec, 0, sizeof(*spec));
	return -EINVAL;
}

int
fbm_wire_spec_apply(struct fbm_dev *dev, const struct fbm_wire_spec *spec)
{
	switch (spec->kind) {
	case FBM_WIRE_SPEC_UNSET:
	case FBM_WIRE_SPEC_NONE:
		return fbm_wire_none(dev);
	case FBM_WIRE_SPEC_LOOPBACK:
		return fbm_wire_loopback(dev);
	case FBM_WIRE_SPEC_AFPACKET:
		return fbm_wire_afpacket(dev, spec->arg);
	case FBM_WIRE_SPEC_PCAP:
		return fbm_wire_pcap(dev, spec->pcap_in[0] != '\0' ? spec->pcap_in : NULL,
				     spec->pcap_out[0] != '\0' ? spec->pcap_out : NULL);
	case FBM_WIRE_SPEC_PEER:
		break;
	}
	return -EINVAL;
}

static pthread_once_t fbm_topo_once = PTHREAD_ONCE_INIT;
static struct fbm_topology *fbm_topo_global;

static void
fbm_topo_global_init(void)
{
	struct fbm_topology *t = calloc(1, sizeof(*t));

	if (t == NULL)
		return;
	pthread_mutex_init(&t->lock, NULL);
	fbm_topo_global = t;
}

struct fbm_topology *
fbm_topology_global(void)
{
	pthread_once(&fbm_topo_once, fbm_topo_global_init);
	return fbm_topo_global;
}

static struct fbm_topo_port *
fbm_topo_lookup(struct fbm_topology *t, const char *name)
{
	unsigned int i;

	for (i = 0; i < FBM_TOPO_MAX_PORTS; i++)
		if (t->ports[i].dev != NULL && strcmp(t->ports[i].name, name) == 0)
			return &t->ports[i];
	return NULL;
}

int
fbm_topo_add(struct fbm_topology *t, const char *name, struct fbm_dev *dev)
{
	unsigned int i;
	int ret = -ENOSPC;

	if (t == NULL || name == NULL || dev == NULL || strlen(name) >= FBM_TOPO_NAME_MAX)
		return -EINVAL;
	pthread_mutex_lock(&t->lock);
	if (fbm_topo_lookup(t, name) != NULL) {
		ret = -EEXIST;
	} else {
		for (i = 0; i < FBM_TOPO_MAX_PORTS; i++) {
			if (t->ports[i].dev == NULL) {
				memset(&t->ports[i], 0, sizeof(t->ports[i]));
				snprintf(t->ports[i].name, sizeof(t->ports[i].name), "%s", name);
				t->ports[i].dev = dev;
				ret = 0;
				break;
			}
		}
	}
	pthread_mutex_unlock(&t->lock);
	return ret;
}

void
fbm_topo_remove(struct fbm_topology *t, struct fbm_dev *dev)
{
	unsigned int i;

	if (t == NULL || dev == NULL)
		return;
	pthread_mutex_lock(&t->lock);
	for (i = 0; i < FBM_TOPO_MAX_PORTS; i++)
		if (t->ports[i].dev == dev)
			memset(&t->ports[i], 0, sizeof(t->ports[i]));
	pthread_mutex_unlock(&t->lock);
}

struct fbm_dev *
fbm_topo_find(struct fbm_topology *t, const char *name)
{
	struct fbm_topo_port *p;
	struct fbm_dev *dev;

	if (t == NULL || name == NULL)
		return NULL;
	pthread_mutex_lock(&t->lock);
	p = fbm_topo_lookup(t, name);
	dev = p != NULL ? p->dev : NULL;
	pthread_mutex_unlock(&t->lock);
	return dev;
}

int
fbm_topo_plug(struct fbm_topology *t, const char *name, const struct fbm_wire_spec *spec,
	      bool (*will_exist)(const char *peer, void *ctx), void *ctx)
{
	struct fbm_topo_port *self, *peer, *waiting = NULL;
	unsigned int i;
	int ret;

	if (t == NULL || name == NULL || spec == NULL)
		return -EINVAL;
	pthread_mutex_lock(&t->lock);
	self = fbm_topo_lookup(t, name);
	if (self == NULL) {
		pthread_mutex_unlock(&t->lock);
		return -ENOENT;
	}
	for (i = 0; i < FBM_TOPO_MAX_PORTS; i++) {
		struct fbm_topo_port *o = &t->ports[i];

		if (o->dev != NULL && o != self && strcmp(o->pending_peer, name) == 0) {
			waiting = o;
			break;
		}
	}

	switch (spec->kind) {
	case FBM_WIRE_SPEC_UNSET:
		if (waiting != NULL) {
			ret = fbm_wire_connect(waiting->dev, self->dev);
			if (ret == 0)
				waiting->pending_peer[0] = '\0';
		} else {
			ret = fbm_wire_none(self->dev);
		}
		break;
	case FBM_WIRE_SPEC_PEER:
		if (spec->arg[0] == '\0' || strcmp(spec->arg, name) == 0) {
			if (spec->arg[0] == '\0')
				FBM_ERR(self->dev, "wire peer: which port? (peer:<port>)");
			else
				FBM_ERR(self->dev, "wire peer:%s names the port itself "
					"(use loopback)", spec->arg);
			ret = -ENODEV;
			break;
		}
		peer = fbm_topo_lookup(t, spec->arg);
		if (peer != NULL) {
			ret = fbm_wire_connect(peer->dev, self->dev);
			if (ret == 0 && strcmp(peer->pending_peer, name) == 0)
				peer->pending_peer[0] = '\0';
		} else if (will_exist != NULL && will_exist(spec->arg, ctx)) {
			snprintf(self->pending_peer, sizeof(self->pending_peer), "%s", spec->arg);
			ret = fbm_wire_none(self->dev);
		} else {
			FBM_ERR(self->dev, "wire peer:%s: no model port of that name", spec->arg);
			ret = -ENODEV;
		}
		break;
	default:
		ret = fbm_wire_spec_apply(self->dev, spec);
		break;
	}
	if (waiting != NULL && waiting->pending_peer[0] != '\0' && ret == 0)
		FBM_WARN(waiting->dev, "waits for a cable to %s, which plugged another wire",
			 name);
	if (ret != 0 && ret != -ENODEV)
		FBM_ERR(self->dev, "cannot plug the wire: %d", ret);
	pthread_mutex_unlock(&t->lock);
	return ret;
}
