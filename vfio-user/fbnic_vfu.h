/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

#ifndef _FBNIC_VFU_H_
#define _FBNIC_VFU_H_

/*
 * One fbnic model presented as a vfio-user PCI device on one client
 * connection at a time. fbnic_vfu_server.c adds the listening sockets,
 * options and the control socket; the unit tests drive it over a socketpair.
 *
 * Threads: the connection side (vfs_dev_attach/service/detach/poll) runs on
 * one thread; the model's engine thread may call the DMA and MSI-X host ops
 * concurrently.
 */

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "fbnic_model.h"
#include "vfu_proto.h"

struct vfs_dev;

/* Create the model (cfg) and its vfio-user personality. 0 or -errno. */
int vfs_dev_create(const struct fbm_config *cfg, int log_level, struct vfs_dev **dp);
void vfs_dev_destroy(struct vfs_dev *d);
struct fbm_dev *vfs_dev_model(struct vfs_dev *d);
const char *vfs_dev_name(const struct vfs_dev *d);

/*
 * The engine thread that runs the datapath (may be NULL: then the caller
 * polls with vfs_dev_poll). The device is added to it while its DMA can be
 * served without socket messages.
 */
int vfs_dev_set_engine(struct vfs_dev *d, struct fbm_engine *eng);

/* Take a connected client socket; -EBUSY while another client is attached. */
int vfs_dev_attach(struct vfs_dev *d, int fd);
/* The attached socket or -1. */
int vfs_dev_conn_fd(const struct vfs_dev *d);
/*
 * Handle one message from the client (call when the socket is readable).
 * 0: handled; -ECONNRESET: the client went away or broke the stream, the
 * connection is closed and the device state kept (vfs_dev_detach done).
 */
int vfs_dev_service(struct vfs_dev *d);
/* Drop the client: close its socket, interrupt descriptors and DMA windows. */
void vfs_dev_detach(struct vfs_dev *d);

/*
 * True while guest memory is only reachable through DMA_READ/DMA_WRITE
 * messages: the engine thread cannot serve the device and the connection
 * thread must call vfs_dev_poll() regularly.
 */
bool vfs_dev_needs_poll(const struct vfs_dev *d);
void vfs_dev_poll(struct vfs_dev *d);

struct vfs_dev_stats {
	uint64_t requests;
	uint64_t error_replies;
	uint64_t msix_sent;		/* eventfd signalled */
	uint64_t msix_no_fd;		/* vector without an eventfd: dropped */
	uint64_t dma_windows;		/* DMA_MAP windows now */
	uint64_t dma_msg_windows;	/* of which without a file descriptor */
	uint64_t dma_misses;		/* model DMA outside every window */
	uint64_t dma_msgs;		/* DMA_READ/DMA_WRITE messages sent */
	uint64_t connections;
};
void vfs_dev_stats_get(const struct vfs_dev *d, struct vfs_dev_stats *st);
void vfs_dev_stats_print(const struct vfs_dev *d, FILE *f);

#endif /* _FBNIC_VFU_H_ */
