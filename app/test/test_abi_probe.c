/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

/*
 * Probe-time layout check of the compat layer: a virtual device driver
 * built with the compat set's headers (as the PMD is) allocates its port
 * through rte_eth_vdev_allocate(), where fbnic_compat_abi_check() runs.
 *
 * Built with the set as it is, the probe must give a port. Built with a
 * deliberately wrong copy of ethdev_driver.h (FBNIC_TEST_BROKEN_ABI, see
 * devtools/abi-break.py), the probe must fail with a negative errno and
 * the "ethdev ABI mismatch" log line, and the process must go on: EAL
 * still works and a second probe fails the same way.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_eal.h>
#include <rte_dev.h>
#include <rte_ethdev.h>
#include <rte_log.h>
#include <rte_malloc.h>
#include <ethdev_driver.h>
#include <ethdev_vdev.h>
#include <bus_vdev_driver.h>

#include "fbnic_tk.h"

static unsigned int probes;

static int
probe_dev_configure(struct rte_eth_dev *dev)
{
	RTE_SET_USED(dev);
	return 0;
}

static int
probe_dev_infos_get(struct rte_eth_dev *dev, struct rte_eth_dev_info *info)
{
	RTE_SET_USED(dev);
	info->max_rx_queues = 1;
	info->max_tx_queues = 1;
	info->max_mac_addrs = 1;
	return 0;
}

static int
probe_dev_close(struct rte_eth_dev *dev)
{
	RTE_SET_USED(dev);
	return 0;
}

static const struct eth_dev_ops probe_ops = {
	.dev_configure = probe_dev_configure,
	.dev_infos_get = probe_dev_infos_get,
	.dev_close = probe_dev_close,
};

static int
abi_probe(struct rte_vdev_device *vdev)
{
	struct rte_eth_dev *dev;

	probes++;
	dev = rte_eth_vdev_allocate(vdev, 64);
	if (dev == NULL)
		return -EPROTO;
	dev->data->mac_addrs = rte_zmalloc("abi_probe_mac", sizeof(struct rte_ether_addr), 0);
	if (dev->data->mac_addrs == NULL) {
		rte_eth_dev_release_port(dev);
		return -ENOMEM;
	}
	dev->dev_ops = &probe_ops;
	dev->rx_pkt_burst = rte_eth_pkt_burst_dummy;
	dev->tx_pkt_burst = rte_eth_pkt_burst_dummy;
	rte_eth_dev_probing_finish(dev);
	return 0;
}

static int
abi_remove(struct rte_vdev_device *vdev)
{
	struct rte_eth_dev *dev = rte_eth_dev_allocated(rte_vdev_device_name(vdev));

	if (dev != NULL)
		rte_eth_dev_release_port(dev);
	return 0;
}

static struct rte_vdev_driver abi_probe_drv = {
	.probe = abi_probe,
	.remove = abi_remove,
};

RTE_PMD_REGISTER_VDEV(net_abi_probe, abi_probe_drv);

/* Probe the device with the EAL log captured; 1 when the mismatch was logged. */
static int
probe_logged(const char *name, int *ret)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *log = open_memstream(&buf, &len);
	FILE *saved = rte_log_get_stream();
	int found;

	if (log == NULL) {
		*ret = rte_dev_probe(name);
		return 0;
	}
	rte_openlog_stream(log);
	*ret = rte_dev_probe(name);
	rte_openlog_stream(saved);
	fclose(log);
	fputs(buf, stdout);
	found = buf != NULL && strstr(buf, "ethdev ABI mismatch") != NULL;
	free(buf);
	return found;
}

int
main(int argc, char **argv)
{
	int ret, logged;

	setvbuf(stdout, NULL, _IONBF, 0);
	if (rte_eal_init(argc, argv) < 0) {
		printf("FAIL: EAL init\n");
		return 1;
	}

	logged = probe_logged("net_abi_probe0", &ret);
	TEST_CHECK(probes == 1, "the driver was probed %u times", probes);
#ifdef FBNIC_TEST_BROKEN_ABI
	TEST_CHECK(ret < 0, "probe with a wrong layout returned %d, an error expected", ret);
	TEST_CHECK(logged, "no \"ethdev ABI mismatch\" log line");
	TEST_CHECK(rte_eth_dev_count_avail() == 0, "%u ports after a refused probe",
		   rte_eth_dev_count_avail());
	/* The process goes on: the same refusal again, and EAL still answers. */
	logged = probe_logged("net_abi_probe1", &ret);
	TEST_CHECK(ret < 0 && logged, "second probe returned %d (logged %d)", ret, logged);
	TEST_CHECK(rte_lcore_count() >= 1, "EAL lost its lcores");
#else
	struct rte_eth_dev_info info;
	uint16_t port = RTE_MAX_ETHPORTS;

	TEST_CHECK(ret == 0, "probe returned %d", ret);
	TEST_CHECK(!logged, "a layout mismatch was logged with the set as it is");
	TEST_CHECK(rte_eth_dev_get_port_by_name("net_abi_probe0", &port) == 0, "no port");
	if (port < RTE_MAX_ETHPORTS) {
		memset(&info, 0, sizeof(info));
		TEST_CHECK(rte_eth_dev_info_get(port, &info) == 0 && info.max_rx_queues == 1,
			   "dev_info not from the driver");
		TEST_CHECK(info.device != NULL && rte_dev_remove(info.device) == 0,
			   "remove failed");
	}
#endif
	rte_eal_cleanup();
	return tk_report("test_abi_probe");
}
