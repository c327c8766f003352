/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

/*
 * Interrupts of a port: the MSI-X vectors of the mailbox, the PCS and the
 * Rx queues on the port's interrupt handle, Rx queue interrupt enable and
 * disable with the device's moderation, and the power-management monitor
 * address of an Rx queue.
 *
 * Vectors (Linux's numbering, base/fbnic_irq.h): 0 the mailbox, 1 the PCS,
 * 2 + q Rx (and Tx) queue q. The handle carries them as vfio-pci does: vector
 * 0 on the handle's fd, vector v >= 1 on efds[v - 1]. A PCI port has
 * vfio-pci's handle and eventfds; a port without a handle (the model's
 * vdev) gets one of type VDEV from the driver, whose eventfds its device
 * front end signals. Other handles (uio, no MSI-X) get no vectors: the 1 s
 * service alarm then serves the mailbox and the link alone, and Rx queue
 * interrupts are refused at configure.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/eventfd.h>

#include <rte_common.h>
#include <rte_interrupts.h>
#include <rte_power_intrinsics.h>
#include <ethdev_driver.h>

#include "fbnic_ethdev.h"
#include "fbnic_logs.h"
#include "fbnic_fw.h"
#include "fbnic_irq.h"
#include "fbnic_mac.h"
#include "fbnic_rxtx.h"

/* efds[] index of vector v (>= 1): vfio-pci's layout. */
#define FBNIC_EFD_OF(v)		((v) - RTE_INTR_VEC_RXTX_OFFSET)

/* ---- Devargs ------------------------------------------------------------ */

static int
fbnic_intr_devarg_u16(const char *key, const char *value, unsigned long max, uint16_t *out)
{
	unsigned long v;
	char *end;

	if (value == NULL || value[0] < '0' || value[0] > '9')
		goto bad;
	errno = 0;
	v = strtoul(value, &end, 10);
	if (errno != 0 || *end != '\0' || v > max)
		goto bad;
	*out = (uint16_t)v;
	return 0;
bad:
	PMD_INIT_LOG(ERR, "devarg %s=%s: expected a number from 0 to %lu", key,
		     value != NULL ? value : "", max);
	return -EINVAL;
}

int
fbnic_intr_devarg(const char *key, const char *value, struct fbnic_intr_args *args)
{
	if (strcmp(key, FBNIC_DEVARG_RX_COALESCE_USECS) == 0) {
		args->rx_usecs_set = true;
		return fbnic_intr_devarg_u16(key, value, FBNIC_IRQ_USECS_MAX, &args->rx_usecs);
	}
	if (strcmp(key, FBNIC_DEVARG_RX_COALESCE_FRAMES) == 0)
		return fbnic_intr_devarg_u16(key, value, FBNIC_IRQ_FRAMES_MAX, &args->rx_frames);
	return -ENOENT;
}

/* ---- Handle and eventfds -------------------------------------------------- */

/* Whether the handle carries one fd per MSI-X vector. */
static bool
fbnic_intr_has_vectors(struct rte_eth_dev *dev)
{
	struct fbnic_adapter *ad = fbnic_eth_dev_adapter(dev);

	if (dev->intr_handle == NULL)
		return false;
	return ad->intr.own != NULL ||
	       rte_intr_type_get(dev->intr_handle) == RTE_INTR_HANDLE_VFIO_MSIX;
}

/* Take every message an eventfd holds (non-blocking: one read). */
static void
fbnic_intr_drain(const struct rte_intr_handle *h)
{
	uint64_t count;
	int fd = rte_intr_fd_get(h);

	if (fd < 0)
		return;
	while (read(fd, &count, sizeof(count)) < 0 && errno == EINTR)
		;
}

/* An EAL callback handle on one fd; our callbacks read the fd themselves. */
static struct rte_intr_handle *
fbnic_intr_cb_handle(int fd)
{
	struct rte_intr_handle *h = rte_intr_instance_alloc(RTE_INTR_INSTANCE_F_PRIVATE);

	if (h == NULL)
		return NULL;
	if (rte_intr_type_set(h, RTE_INTR_HANDLE_EXT) != 0 || rte_intr_fd_set(h, fd) != 0) {
		rte_intr_instance_free(h);
		return NULL;
	}
	return h;
}

/*
 * Mailbox vector: read the firmware's messages now rather than at the next
 * alarm. A control operation holding the lock polls the mailbox itself; the
 * vector then stays masked until the alarm unmasks it.
 */
static void
fbnic_intr_mbx_cb(void *arg)
{
	struct rte_eth_dev *dev = arg;
	struct fbnic_adapter *ad = fbnic_eth_dev_adapter(dev);
	struct fbnic_hw *hw = &ad->hw;

	fbnic_intr_drain(ad->intr.mbx_cb);
	if (ad->closed || ad->eth_dev != dev || !rte_spinlock_trylock(&ad->lock))
		return;
	ad->intr.mbx_events++;
	if (!hw->removed) {
		fbnic_fw_poll(hw);
		fbnic_irq_unmask(hw, FBNIC_FW_MSIX_VECTOR);
	}
	fbnic_unlock(ad);
}

/*
 * PCS vector: a link change. The link machine clears the PCS events and
 * unmasks the vector (fbnic_pcs_link_check); the event goes out unlocked.
 */
static void
fbnic_intr_pcs_cb(void *arg)
{
	struct rte_eth_dev *dev = arg;
	struct fbnic_adapter *ad = fbnic_eth_dev_adapter(dev);
	bool lsc = false;

	fbnic_intr_drain(ad->intr.pcs_cb);
	if (ad->closed || ad->eth_dev != dev || !rte_spinlock_trylock(&ad->lock))
		return;
	ad->intr.pcs_events++;
	if (ad->started && !ad->hw.removed)
		lsc = fbnic_link_refresh(dev) && dev->data->dev_conf.intr_conf.lsc;
	fbnic_unlock(ad);
	if (lsc)
		rte_eth_dev_callback_process(dev, RTE_ETH_EVENT_INTR_LSC, NULL);
}

static void
fbnic_intr_cb_off(struct rte_intr_handle **h, rte_intr_callback_fn fn, void *arg)
{
	if (*h == NULL)
		return;
	/*
	 * From another thread, wait for a callback that is running (it never
	 * blocks). In the interrupt thread that callback may be the caller
	 * (an event handler closing the port): it goes once it returns.
	 */
	if (!rte_thread_is_intr())
		(void)rte_intr_callback_unregister_sync(*h, fn, arg);
	else if (rte_intr_callback_unregister(*h, fn, arg) == -EAGAIN)
		(void)rte_intr_callback_unregister_pending(*h, fn, arg, NULL);
	rte_intr_instance_free(*h);
	*h = NULL;
}

static int
fbnic_intr_cb_on(struct rte_eth_dev *dev, struct rte_intr_handle **h, int fd,
		 rte_intr_callback_fn fn, const char *what)
{
	int ret;

	*h = fbnic_intr_cb_handle(fd);
	if (*h == NULL) {
		PMD_DRV_LOG(ERR, "port %u: no memory for the %s vector's handle",
			    dev->data->port_id, what);
		return -ENOMEM;
	}
	ret = rte_intr_callback_register(*h, fn, dev);
	if (ret != 0) {
		PMD_DRV_LOG(ERR, "port %u: cannot register the %s vector's callback: %d",
			    dev->data->port_id, what, ret);
		rte_intr_instance_free(*h);
		*h = NULL;
	}
	return ret;
}

static int
fbnic_intr_pcs_fd(struct rte_eth_dev *dev)
{
	return rte_intr_efds_index_get(dev->intr_handle, FBNIC_EFD_OF(FBNIC_PCS_MSIX_VECTOR));
}

/*
 * Give the handle nb eventfds, vectors 1 to nb. The driver's own handle only
 * grows: its device may signal any fd it was given until the port closes.
 * vfio-pci's gets a new set, handed to the kernel by rte_intr_enable.
 */
static int
fbnic_intr_efds_set(struct rte_eth_dev *dev, unsigned int nb)
{
	struct fbnic_adapter *ad = fbnic_eth_dev_adapter(dev);
	struct rte_intr_handle *h = dev->intr_handle;
	uint16_t port = dev->data->port_id;
	int i, fd, ret;

	if (ad->intr.own != NULL) {
		for (i = rte_intr_nb_efd_get(h); i < (int)nb; i++) {
			fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
			if (fd < 0) {
				ret = -errno;
				PMD_DRV_LOG(ERR, "port %u: no eventfd for vector %d: %d", port,
					    i + 1, ret);
				return ret;
			}
			if (rte_intr_efds_index_set(h, i, fd) != 0) {
				close(fd);
				return -rte_errno;
			}
			(void)rte_intr_nb_efd_set(h, i + 1);
			(void)rte_intr_max_intr_set(h, i + 2);
		}
		return 0;
	}

	/*
	 * vfio-pci: the PCS callback sits on the fd of vector 1, which changes.
	 * MSI-X is disabled only once enabled: the kernel refuses to disable it
	 * otherwise, and EAL logs that as an error.
	 */
	fbnic_intr_cb_off(&ad->intr.pcs_cb, fbnic_intr_pcs_cb, dev);
	if (ad->intr.vfio_on)
		(void)rte_intr_disable(h);
	ad->intr.vfio_on = false;
	rte_intr_efd_disable(h);
	ret = rte_intr_efd_enable(h, nb);
	if (ret == 0)
		ret = rte_intr_enable(h);
	if (ret != 0) {
		PMD_DRV_LOG(ERR, "port %u: cannot set up %u MSI-X vectors: %d", port, nb + 1, ret);
		return ret;
	}
	ad->intr.vfio_on = true;
	if (!ad->intr.events_on)
		return 0;
	return fbnic_intr_cb_on(dev, &ad->intr.pcs_cb, fbnic_intr_pcs_fd(dev),
				fbnic_intr_pcs_cb, "PCS");
}

static void
fbnic_intr_own_free(struct fbnic_adapter *ad)
{
	struct rte_intr_handle *h = ad->intr.own;
	int i;

	if (h == NULL)
		return;
	/* Out of the epoll sets of rte_eth_dev_rx_intr_ctl_q, then closed. */
	rte_intr_free_epoll_fd(h);
	for (i = 0; i < rte_intr_nb_efd_get(h); i++)
		close(rte_intr_efds_index_get(h, i));
	if (rte_intr_fd_get(h) >= 0)
		close(rte_intr_fd_get(h));
	rte_intr_vec_list_free(h);
	rte_intr_instance_free(h);
	ad->intr.own = NULL;
}

/* A VDEV handle with the mailbox vector's eventfd; the rest come with use. */
static int
fbnic_intr_own_alloc(struct rte_eth_dev *dev)
{
	struct fbnic_adapter *ad = fbnic_eth_dev_adapter(dev);
	struct rte_intr_handle *h;
	int fd;

	h = rte_intr_instance_alloc(RTE_INTR_INSTANCE_F_PRIVATE);
	if (h == NULL)
		return -ENOMEM;
	fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (fd < 0 || rte_intr_type_set(h, RTE_INTR_HANDLE_VDEV) != 0 ||
	    rte_intr_fd_set(h, fd) != 0 ||
	    rte_intr_efd_counter_size_set(h, sizeof(uint64_t)) != 0) {
		if (fd >= 0)
			close(fd);
		rte_intr_instance_free(h);
		return -ENOMEM;
	}
	ad->intr.own = h;
	dev->intr_handle = h;
	return 0;
}

int
fbnic_intr_init(struct rte_eth_dev *dev)
{
	struct fbnic_adapter *ad = fbnic_eth_dev_adapter(dev);
	uint16_t port = dev->data->port_id;
	int ret;

	ad->intr.rx_usecs = ad->devargs.intr.rx_usecs_set ? ad->devargs.intr.rx_usecs :
			    FBNIC_IRQ_RX_USECS_DEFAULT;
	ad->intr.tx_usecs = FBNIC_IRQ_TX_USECS_DEFAULT;
	ad->intr.rx_frames = ad->devargs.intr.rx_frames;

	if (dev->intr_handle == NULL) {
		ret = fbnic_intr_own_alloc(dev);
		if (ret != 0) {
			PMD_INIT_LOG(ERR, "port %u: no interrupt handle: %d", port, ret);
			return ret;
		}
	}
	if (!fbnic_intr_has_vectors(dev)) {
		PMD_INIT_LOG(INFO, "port %u: no MSI-X vectors (interrupt type %d): the alarm "
			     "serves the mailbox and the link", port,
			     rte_intr_type_get(dev->intr_handle));
		return 0;
	}
	ret = fbnic_intr_efds_set(dev, FBNIC_PCS_MSIX_VECTOR);
	if (ret != 0)
		fbnic_intr_release(dev);
	return ret;
}

int
fbnic_intr_events_on(struct rte_eth_dev *dev)
{
	struct fbnic_adapter *ad = fbnic_eth_dev_adapter(dev);
	int ret;

	if (ad->intr.events_on || !fbnic_intr_has_vectors(dev))
		return 0;
	ret = fbnic_intr_cb_on(dev, &ad->intr.pcs_cb, fbnic_intr_pcs_fd(dev),
			       fbnic_intr_pcs_cb, "PCS");
	if (ret == 0)
		ret = fbnic_intr_cb_on(dev, &ad->intr.mbx_cb, rte_intr_fd_get(dev->intr_handle),
				       fbnic_intr_mbx_cb, "mailbox");
	if (ret != 0) {
		fbnic_intr_cb_off(&ad->intr.pcs_cb, fbnic_intr_pcs_cb, dev);
		return ret;
	}
	ad->intr.events_on = true;
	return 0;
}

void
fbnic_intr_events_off(struct rte_eth_dev *dev)
{
	struct fbnic_adapter *ad = fbnic_eth_dev_adapter(dev);

	ad->intr.events_on = false;
	fbnic_intr_cb_off(&ad->intr.mbx_cb, fbnic_intr_mbx_cb, dev);
	fbnic_intr_cb_off(&ad->intr.pcs_cb, fbnic_intr_pcs_cb, dev);
}

void
fbnic_intr_release(struct rte_eth_dev *dev)
{
	struct fbnic_adapter *ad = fbnic_eth_dev_adapter(dev);

	fbnic_intr_events_off(dev);
	if (ad->intr.own != NULL) {
		dev->intr_handle = NULL;
		fbnic_intr_own_free(ad);
	} else if (dev->intr_handle != NULL && fbnic_intr_has_vectors(dev)) {
		if (ad->intr.vfio_on)
			(void)rte_intr_disable(dev->intr_handle);
		ad->intr.vfio_on = false;
		rte_intr_efd_disable(dev->intr_handle);
		rte_intr_vec_list_free(dev->intr_handle);
	}
	ad->intr.nb_rxq_vectors = 0;
}

/* ---- Configure, start, stop --------------------------------------------- */

int
fbnic_intr_configure(struct rte_eth_dev *dev)
{
	uint16_t port = dev->data->port_id;
	unsigned int need;

	if (!dev->data->dev_conf.intr_conf.rxq)
		return 0;
	if (!fbnic_intr_has_vectors(dev)) {
		PMD_DRV_LOG(ERR, "port %u: Rx queue interrupts need MSI-X vectors (vfio-pci); "
			    "interrupt type %d has none", port,
			    dev->intr_handle != NULL ? (int)rte_intr_type_get(dev->intr_handle) :
			    -1);
		return -ENOTSUP;
	}
	need = FBNIC_QUEUE_MSIX_VECTOR(dev->data->nb_rx_queues);
	if (need > FBNIC_IRQ_MAX_VECTORS || FBNIC_EFD_OF(need) > RTE_MAX_RXTX_INTR_VEC_ID) {
		PMD_DRV_LOG(ERR, "port %u: %u Rx queues need %u MSI-X vectors, more than %u",
			    port, dev->data->nb_rx_queues, need, FBNIC_IRQ_MAX_VECTORS);
		return -EINVAL;
	}
	return 0;
}

uint16_t
fbnic_intr_rim_threshold(const struct rte_eth_dev *dev)
{
	return fbnic_irq_rim_threshold(fbnic_eth_dev_adapter(dev)->intr.rx_frames);
}

int
fbnic_intr_start(struct rte_eth_dev *dev)
{
	struct fbnic_adapter *ad = fbnic_eth_dev_adapter(dev);
	struct rte_intr_handle *h = dev->intr_handle;
	struct fbnic_hw *hw = &ad->hw;
	uint16_t nb = dev->data->nb_rx_queues;
	uint16_t q;
	int ret;

	if (!dev->data->dev_conf.intr_conf.rxq || nb == 0)
		return 0;
	ret = fbnic_intr_efds_set(dev, FBNIC_EFD_OF(FBNIC_QUEUE_MSIX_VECTOR(nb - 1)) + 1);
	if (ret != 0)
		return ret;
	rte_intr_vec_list_free(h);
	ret = rte_intr_vec_list_alloc(h, "fbnic_rxq_vectors", nb);
	if (ret != 0) {
		PMD_DRV_LOG(ERR, "port %u: no memory for %u Rx queue vectors", dev->data->port_id,
			    nb);
		return ret;
	}
	for (q = 0; q < nb; q++) {
		unsigned int v = FBNIC_QUEUE_MSIX_VECTOR(q);

		/* rte_intr_rx_ctl takes efds[vec - RTE_INTR_VEC_RXTX_OFFSET]. */
		(void)rte_intr_vec_list_index_set(h, q, (int)v);
		/* Masked until the application enables it; moderation as Linux loads it. */
		fbnic_irq_mask(hw, v);
		fbnic_irq_cq_rearm(hw, v, ad->intr.rx_usecs, ad->intr.tx_usecs, false);
	}
	/* DPDK takes no Tx interrupts: Tx completions must not wake an Rx queue. */
	for (q = 0; q < dev->data->nb_tx_queues; q++)
		fbnic_irq_tim_mask(hw, q, true);
	ad->intr.nb_rxq_vectors = nb;
	return 0;
}

void
fbnic_intr_stop(struct rte_eth_dev *dev)
{
	struct fbnic_adapter *ad = fbnic_eth_dev_adapter(dev);
	uint16_t q;

	for (q = 0; q < ad->intr.nb_rxq_vectors && !ad->hw.removed; q++)
		fbnic_irq_mask(&ad->hw, FBNIC_QUEUE_MSIX_VECTOR(q));
	ad->intr.nb_rxq_vectors = 0;
}

/* ---- Rx queue interrupts -------------------------------------------------- */

static int
fbnic_rxq_intr_check(struct rte_eth_dev *dev, uint16_t qid, const char *op)
{
	struct fbnic_adapter *ad = fbnic_eth_dev_adapter(dev);
	uint16_t port = dev->data->port_id;

	if (!fbnic_is_primary())
		return -ENOTSUP;
	if (ad->hw.removed)
		return -EIO;
	if (!dev->data->dev_conf.intr_conf.rxq) {
		PMD_DRV_LOG(ERR, "port %u: Rx queue %u interrupt %s: intr_conf.rxq not configured",
			    port, qid, op);
		return -ENOTSUP;
	}
	if (qid >= ad->intr.nb_rxq_vectors) {
		PMD_DRV_LOG(ERR, "port %u: Rx queue %u interrupt %s: no vector (%u queues have "
			    "one, from start)", port, qid, op, ad->intr.nb_rxq_vectors);
		return -EINVAL;
	}
	return 0;
}

/*
 * Re-arm the queue's vector. An event the queue had before (completions the
 * application has already taken) is dropped; completions waiting at the
 * queue's head raise the vector again, so that none is slept over.
 */
int
fbnic_rx_queue_intr_enable(struct rte_eth_dev *dev, uint16_t qid)
{
	struct fbnic_adapter *ad = fbnic_eth_dev_adapter(dev);
	struct fbnic_rx_queue *rxq;
	unsigned int v = FBNIC_QUEUE_MSIX_VECTOR(qid);
	int ret = fbnic_rxq_intr_check(dev, qid, "enable");

	if (ret != 0)
		return ret;
	rxq = dev->data->rx_queues[qid];
	fbnic_irq_clear(&ad->hw, v);
	if (rxq != NULL && rxq->started &&
	    fbnic_cmpl_new(fbnic_cmpl_read(rxq->rcq, rxq->rcq_head & rxq->rcq_mask),
			   rxq->rcq_head, rxq->rcq_mask + 1))
		fbnic_irq_raise(&ad->hw, v);
	fbnic_irq_cq_rearm(&ad->hw, v, ad->intr.rx_usecs, ad->intr.tx_usecs, true);
	return 0;
}

int
fbnic_rx_queue_intr_disable(struct rte_eth_dev *dev, uint16_t qid)
{
	struct fbnic_adapter *ad = fbnic_eth_dev_adapter(dev);
	int ret = fbnic_rxq_intr_check(dev, qid, "disable");

	if (ret != 0)
		return ret;
	fbnic_irq_mask(&ad->hw, FBNIC_QUEUE_MSIX_VECTOR(qid));
	return 0;
}

/* ---- Power-management monitor -------------------------------------------- */

/*
 * The entry at the RCQ head is new once its DONE bit (63) differs from the
 * pass parity (fbnic_cmpl_new): opaque[0] is the DONE value that means new.
 * Returns -1 (do not sleep) when the entry is already new.
 */
static int
fbnic_monitor_callback(const uint64_t value, const uint64_t opaque[RTE_POWER_MONITOR_OPAQUE_SZ])
{
	return (rte_le_to_cpu_64(value) >> 63) == opaque[0] ? -1 : 0;
}

int
fbnic_get_monitor_addr(void *rx_queue, struct rte_power_monitor_cond *pmc)
{
	struct fbnic_rx_queue *rxq = rx_queue;
	uint32_t pos = rxq->rcq_head;

	pmc->addr = &rxq->rcq[pos & rxq->rcq_mask];
	pmc->fn = fbnic_monitor_callback;
	/* New in the first pass (parity 0) when DONE is 1, and so on. */
	pmc->opaque[0] = (pos & (rxq->rcq_mask + 1)) ? 0 : 1;
	pmc->size = sizeof(uint64_t);
	return 0;
}
