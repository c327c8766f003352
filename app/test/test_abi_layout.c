/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

/*
 * ABI layout test: proves that the driver-SDK declarations this project
 * compiles with (a compat set of compat/, or the real headers) match the
 * librte_ethdev loaded at run time, and that a driver written against
 * main's API reaches the library through them.
 *
 * 1. rte_eth_devices[] has the size of RTE_MAX_ETHPORTS x our struct rte_eth_dev.
 * 2. A port allocated by the library has its rte_eth_dev_data where our
 *    layout says, and fields written through our struct are read back by
 *    the public API (and the reverse).
 * 3. Every public call below reaches the eth_dev_ops slot of the same name:
 *    each slot of our table has its own stub that records its index. The
 *    stubs have main's signatures: where the library calls a slot with an
 *    older one, the compat layer's trampoline must pass the results on
 *    (per-queue counters, packet type lists without a terminator).
 */

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dlfcn.h>
#include <inttypes.h>
#include <elf.h>
#include <link.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_ethdev.h>
#include <rte_malloc.h>
#include <rte_memzone.h>
#include <ethdev_driver.h>

#include "fbnic_tk.h"

/* The ELF symbol of this machine's word size. */
typedef ElfW(Sym) elf_sym_t;

/* Index of each slot of struct eth_dev_ops that a public call is expected to reach. */
enum slot {
	S_DEV_CONFIGURE, S_DEV_START, S_DEV_STOP, S_DEV_CLOSE, S_DEV_RESET, S_LINK_UPDATE,
	S_IS_REMOVED, S_PROMISC_ON, S_ALLMULTI_ON, S_MAC_SET, S_MC_LIST, S_MTU_SET,
	S_STATS_GET, S_STATS_RESET, S_XSTATS_GET, S_XSTATS_NAMES, S_INFOS_GET, S_FW_VERSION,
	S_PTYPES, S_REG, S_EEPROM_LEN, S_MODULE_INFO, S_FLOW_CTRL_GET, S_RSS_CONF_GET,
	S_RETA_QUERY, S_TIMESYNC_TIME, S_READ_CLOCK, S_FEC_GET, S_PRIV_DUMP, S_CMAN_INFO,
	S_SLOT_MAX
};

static const char *const slot_names[S_SLOT_MAX] = {
	"dev_configure", "dev_start", "dev_stop", "dev_close", "dev_reset", "link_update",
	"is_removed", "promiscuous_enable", "allmulticast_enable", "mac_addr_set",
	"set_mc_addr_list", "mtu_set", "stats_get", "stats_reset", "xstats_get",
	"xstats_get_names", "dev_infos_get", "fw_version_get", "dev_supported_ptypes_get",
	"get_reg", "get_eeprom_length", "get_module_info", "flow_ctrl_get",
	"rss_hash_conf_get", "reta_query", "timesync_read_time", "read_clock", "fec_get",
	"eth_dev_priv_dump", "cman_info_get",
};

static unsigned int hits[S_SLOT_MAX];
static unsigned int stray_hits;

static void
hit(enum slot s)
{
	hits[s]++;
}

static int st_configure(struct rte_eth_dev *d) { RTE_SET_USED(d); hit(S_DEV_CONFIGURE); return 0; }
static int st_start(struct rte_eth_dev *d) { RTE_SET_USED(d); hit(S_DEV_START); return 0; }
static int st_stop(struct rte_eth_dev *d) { RTE_SET_USED(d); hit(S_DEV_STOP); return 0; }
static int st_close(struct rte_eth_dev *d) { RTE_SET_USED(d); hit(S_DEV_CLOSE); return 0; }
static int st_reset(struct rte_eth_dev *d) { RTE_SET_USED(d); hit(S_DEV_RESET); return 0; }
static int st_is_removed(struct rte_eth_dev *d) { RTE_SET_USED(d); hit(S_IS_REMOVED); return 0; }
static int st_promisc(struct rte_eth_dev *d) { RTE_SET_USED(d); hit(S_PROMISC_ON); return 0; }
static int st_allmulti(struct rte_eth_dev *d) { RTE_SET_USED(d); hit(S_ALLMULTI_ON); return 0; }
static int st_eeprom_len(struct rte_eth_dev *d) { RTE_SET_USED(d); hit(S_EEPROM_LEN); return 512; }

static int
st_link_update(struct rte_eth_dev *d, int wait)
{
	struct rte_eth_link link = {
		.link_speed = RTE_ETH_SPEED_NUM_50G,
		.link_duplex = RTE_ETH_LINK_FULL_DUPLEX,
		.link_status = RTE_ETH_LINK_UP,
	};

	RTE_SET_USED(wait);
	hit(S_LINK_UPDATE);
	return rte_eth_linkstatus_set(d, &link);
}

static int
st_mac_set(struct rte_eth_dev *d, struct rte_ether_addr *a)
{
	RTE_SET_USED(d);
	RTE_SET_USED(a);
	hit(S_MAC_SET);
	return 0;
}

static int
st_mc_list(struct rte_eth_dev *d, struct rte_ether_addr *a, uint32_t n)
{
	RTE_SET_USED(d);
	RTE_SET_USED(a);
	hit(S_MC_LIST);
	return n == 1 ? 0 : -EINVAL;
}

static int
st_mtu_set(struct rte_eth_dev *d, uint16_t mtu)
{
	RTE_SET_USED(d);
	hit(S_MTU_SET);
	return mtu == 4000 ? 0 : -EINVAL;
}

static int
st_stats_get(struct rte_eth_dev *d, struct rte_eth_stats *s, struct eth_queue_stats *qs)
{
	RTE_SET_USED(d);
	hit(S_STATS_GET);
	s->ipackets = 4242;
	s->obytes = 99;
	if (qs != NULL) {
		qs->q_ipackets[1] = 31;
		qs->q_obytes[2] = 47;
	}
	return 0;
}

static int st_stats_reset(struct rte_eth_dev *d) { RTE_SET_USED(d); hit(S_STATS_RESET); return 0; }

static int
st_xstats_get(struct rte_eth_dev *d, struct rte_eth_xstat *x, unsigned int n)
{
	RTE_SET_USED(d);
	hit(S_XSTATS_GET);
	if (x != NULL && n >= 1) {
		x[0].id = 0;
		x[0].value = 777;
	}
	return 1;
}

static int
st_xstats_names(struct rte_eth_dev *d, struct rte_eth_xstat_name *x, unsigned int n)
{
	RTE_SET_USED(d);
	hit(S_XSTATS_NAMES);
	if (x != NULL && n >= 1)
		snprintf(x[0].name, sizeof(x[0].name), "abi_probe_counter");
	return 1;
}

static int
st_infos_get(struct rte_eth_dev *d, struct rte_eth_dev_info *info)
{
	RTE_SET_USED(d);
	hit(S_INFOS_GET);
	info->max_rx_queues = 7;
	info->max_tx_queues = 5;
	info->max_rx_pktlen = 9742;
	info->min_mtu = 1280;
	info->max_mtu = 9728;
	info->max_mac_addrs = 1;
	return 0;
}

static int
st_fw_version(struct rte_eth_dev *d, char *buf, size_t len)
{
	RTE_SET_USED(d);
	hit(S_FW_VERSION);
	snprintf(buf, len, "1.2.3.4");
	return 0;
}

/* As main's drivers return it: a length, no RTE_PTYPE_UNKNOWN at the end. */
static const uint32_t abi_ptypes[] = { RTE_PTYPE_L2_ETHER, RTE_PTYPE_L3_IPV4 };

static const uint32_t *
st_ptypes(struct rte_eth_dev *d, size_t *n)
{
	RTE_SET_USED(d);
	hit(S_PTYPES);
	*n = RTE_DIM(abi_ptypes);
	return abi_ptypes;
}

static int
st_reg(struct rte_eth_dev *d, struct rte_dev_reg_info *info)
{
	RTE_SET_USED(d);
	hit(S_REG);
	info->length = 64;
	info->width = 4;
	return 0;
}

static int
st_module_info(struct rte_eth_dev *d, struct rte_eth_dev_module_info *m)
{
	RTE_SET_USED(d);
	hit(S_MODULE_INFO);
	m->type = 0x11;
	m->eeprom_len = 256;
	return 0;
}

static int
st_flow_ctrl_get(struct rte_eth_dev *d, struct rte_eth_fc_conf *fc)
{
	RTE_SET_USED(d);
	hit(S_FLOW_CTRL_GET);
	fc->mode = RTE_ETH_FC_FULL;
	return 0;
}

static int
st_rss_conf_get(struct rte_eth_dev *d, struct rte_eth_rss_conf *c)
{
	RTE_SET_USED(d);
	hit(S_RSS_CONF_GET);
	c->rss_hf = RTE_ETH_RSS_IPV4;
	return 0;
}

static int
st_reta_query(struct rte_eth_dev *d, struct rte_eth_rss_reta_entry64 *r, uint16_t n)
{
	RTE_SET_USED(d);
	RTE_SET_USED(r);
	hit(S_RETA_QUERY);
	return n == 256 ? 0 : -EINVAL;
}

static int
st_timesync_time(struct rte_eth_dev *d, struct timespec *ts)
{
	RTE_SET_USED(d);
	hit(S_TIMESYNC_TIME);
	ts->tv_sec = 5;
	ts->tv_nsec = 6;
	return 0;
}

static int
st_read_clock(struct rte_eth_dev *d, uint64_t *t)
{
	RTE_SET_USED(d);
	hit(S_READ_CLOCK);
	*t = 123456789;
	return 0;
}

static int
st_fec_get(struct rte_eth_dev *d, uint32_t *capa)
{
	RTE_SET_USED(d);
	hit(S_FEC_GET);
	*capa = RTE_ETH_FEC_MODE_CAPA_MASK(RS);
	return 0;
}

static int
st_priv_dump(struct rte_eth_dev *d, FILE *f)
{
	RTE_SET_USED(d);
	RTE_SET_USED(f);
	hit(S_PRIV_DUMP);
	return 0;
}

static int
st_cman_info(struct rte_eth_dev *d, struct rte_eth_cman_info *info)
{
	RTE_SET_USED(d);
	hit(S_CMAN_INFO);
	info->modes_supported = RTE_CMAN_RED;
	return 0;
}

/* Every other slot points here (through a cast): reaching it is a layout error. */
static int
st_stray(void)
{
	stray_hits++;
	return -EIO;
}

static struct eth_dev_ops abi_ops;
static struct rte_driver abi_driver = { .name = "net_abi_probe" };
static struct rte_device abi_device = {
	.name = "net_abi_probe",
	.driver = &abi_driver,
	.numa_node = SOCKET_ID_ANY,
};

static void
abi_ops_init(void)
{
	void (**slot)(void) = (void (**)(void))&abi_ops;
	size_t i;

	for (i = 0; i < sizeof(abi_ops) / sizeof(*slot); i++)
		slot[i] = (void (*)(void))st_stray;

	abi_ops.dev_configure = st_configure;
	abi_ops.dev_start = st_start;
	abi_ops.dev_stop = st_stop;
	abi_ops.dev_close = st_close;
	abi_ops.dev_reset = st_reset;
	abi_ops.link_update = st_link_update;
	abi_ops.is_removed = st_is_removed;
	abi_ops.promiscuous_enable = st_promisc;
	abi_ops.allmulticast_enable = st_allmulti;
	abi_ops.mac_addr_set = st_mac_set;
	abi_ops.set_mc_addr_list = st_mc_list;
	abi_ops.mtu_set = st_mtu_set;
	abi_ops.stats_get = st_stats_get;
	abi_ops.stats_reset = st_stats_reset;
	abi_ops.xstats_get = st_xstats_get;
	abi_ops.xstats_get_names = st_xstats_names;
	abi_ops.dev_infos_get = st_infos_get;
	abi_ops.fw_version_get = st_fw_version;
	abi_ops.dev_supported_ptypes_get = st_ptypes;
	abi_ops.get_reg = st_reg;
	abi_ops.get_eeprom_length = st_eeprom_len;
	abi_ops.get_module_info = st_module_info;
	abi_ops.flow_ctrl_get = st_flow_ctrl_get;
	abi_ops.rss_hash_conf_get = st_rss_conf_get;
	abi_ops.reta_query = st_reta_query;
	abi_ops.timesync_read_time = st_timesync_time;
	abi_ops.read_clock = st_read_clock;
	abi_ops.fec_get = st_fec_get;
	abi_ops.eth_dev_priv_dump = st_priv_dump;
	abi_ops.cman_info_get = st_cman_info;
	/* Slots whose public wrappers have fallbacks must stay NULL. */
	abi_ops.xstats_get_by_id = NULL;
	abi_ops.xstats_get_names_by_id = NULL;
	abi_ops.xstats_reset = NULL;
	abi_ops.dev_set_link_up = NULL;
	abi_ops.dev_set_link_down = NULL;
	abi_ops.promiscuous_disable = NULL;
	abi_ops.allmulticast_disable = NULL;
	abi_ops.rx_queue_release = NULL;
	abi_ops.tx_queue_release = NULL;
	abi_ops.dev_ptypes_set = NULL;
	abi_ops.rxq_info_get = NULL;
	abi_ops.txq_info_get = NULL;
	abi_ops.get_monitor_addr = NULL;
	abi_ops.rx_metadata_negotiate = NULL;
	abi_ops.queue_stats_mapping_set = NULL;
	abi_ops.flow_ops_get = NULL;
	abi_ops.tm_ops_get = NULL;
	abi_ops.mtr_ops_get = NULL;
	abi_ops.pool_ops_supported = NULL;
	abi_ops.hairpin_cap_get = NULL;
	abi_ops.representor_info_get = NULL;
#ifdef RTE_ETH_RESTORE_ALL
	/* A DPDK with this optional slot (24.11 and newer) asks it in dev_start. */
	abi_ops.get_restore_flags = NULL;
#endif
}

/*
 * Expect the call to have reached slot s, and no slot left to the stray
 * stub. Other named slots may be reached too (dev_start restores the MAC,
 * promiscuous state...), which proves nothing either way.
 */
static void
expect_slot(enum slot s, const char *call, int ret)
{
	TEST_CHECK(ret >= 0, "%s returned %d", call, ret);
	TEST_CHECK(hits[s] >= 1 && stray_hits == 0,
		   "%s should reach eth_dev_ops.%s (hits %u, stray %u)",
		   call, slot_names[s], hits[s], stray_hits);
	memset(hits, 0, sizeof(hits));
	stray_hits = 0;
}

static int
check_devices_symbol(void)
{
	const elf_sym_t *sym;
	void *extra = NULL;
	size_t want = sizeof(struct rte_eth_dev) * RTE_MAX_ETHPORTS;
	Dl_info info;

	/*
	 * Look the array up at run time: a direct reference from this
	 * executable would make the linker copy it here (copy relocation).
	 */
	void *devices = dlsym(RTLD_DEFAULT, "rte_eth_devices");

	TEST_ASSERT(devices != NULL &&
		    dladdr1(devices, &info, &extra, RTLD_DL_SYMENT) != 0 && extra != NULL,
		    "cannot find symbol rte_eth_devices");
	sym = extra;
	printf("rte_eth_devices: %zu bytes in %s, %zu expected (%u x %zu)\n",
	       (size_t)sym->st_size, info.dli_fname, want, RTE_MAX_ETHPORTS,
	       sizeof(struct rte_eth_dev));
	TEST_ASSERT_EQUAL(sym->st_size, want,
			  "struct rte_eth_dev layout differs from librte_ethdev");
	return TEST_SUCCESS;
}

static void
check_data_memzone(struct rte_eth_dev *dev, uint16_t port)
{
	const struct rte_memzone *mz = rte_memzone_lookup("rte_eth_dev_data");
	size_t stride = sizeof(struct rte_eth_dev_data);

	TEST_CHECK(mz != NULL, "memzone rte_eth_dev_data missing");
	if (mz == NULL)
		return;
	TEST_CHECK(mz->len == RTE_CACHE_LINE_SIZE + RTE_MAX_ETHPORTS * stride,
		   "data memzone is %zu bytes, expected %zu", mz->len,
		   RTE_CACHE_LINE_SIZE + RTE_MAX_ETHPORTS * stride);
	TEST_CHECK((char *)dev->data == (char *)mz->addr + RTE_CACHE_LINE_SIZE + port * stride,
		   "port %u data not at the expected slot of the memzone", port);
}

static void
check_fields(struct rte_eth_dev *dev, uint16_t port)
{
	struct rte_ether_addr mac = {{ 0x02, 0x11, 0x22, 0x33, 0x44, 0x55 }}, got;
	struct rte_eth_link link;
	uint16_t mtu = 0;
	uint16_t id = UINT16_MAX;

	TEST_CHECK(rte_eth_dev_get_port_by_name("net_abi_probe", &id) == 0 && id == port,
		   "port lookup by name gave %u, expected %u", id, port);
	TEST_CHECK(dev->data->port_id == port, "data->port_id %u, expected %u",
		   dev->data->port_id, port);

	dev->data->mtu = 4321;
	TEST_CHECK(rte_eth_dev_get_mtu(port, &mtu) == 0 && mtu == 4321, "mtu read back %u", mtu);

	rte_ether_addr_copy(&mac, &dev->data->mac_addrs[0]);
	memset(&got, 0, sizeof(got));
	TEST_CHECK(rte_eth_macaddr_get(port, &got) == 0 && rte_is_same_ether_addr(&got, &mac),
		   "MAC address read back differs");

	dev->data->promiscuous = 1;
	TEST_CHECK(rte_eth_promiscuous_get(port) == 1, "promiscuous bit misplaced");
	dev->data->promiscuous = 0;
	dev->data->all_multicast = 1;
	TEST_CHECK(rte_eth_allmulticast_get(port) == 1 && rte_eth_promiscuous_get(port) == 0,
		   "all_multicast bit misplaced");
	dev->data->all_multicast = 0;

	memset(&link, 0, sizeof(link));
	TEST_CHECK(rte_eth_link_get_nowait(port, &link) == 0 &&
		   link.link_status == RTE_ETH_LINK_UP &&
		   link.link_speed == RTE_ETH_SPEED_NUM_50G, "link read back wrong");
	expect_slot(S_LINK_UPDATE, "rte_eth_link_get_nowait", 0);
}

/* Value of the xstat of that name (UINT64_MAX when absent). */
static uint64_t
xstat_value(const struct rte_eth_xstat_name *names, const struct rte_eth_xstat *xs, int n,
	    const char *name)
{
	int i;

	for (i = 0; i < n; i++)
		if (strcmp(names[xs[i].id].name, name) == 0)
			return xs[i].value;
	return UINT64_MAX;
}

static void
check_ops(struct rte_eth_dev *dev, uint16_t port)
{
	struct rte_eth_conf conf;
	struct rte_eth_dev_info info;
	struct rte_eth_stats stats;
	struct rte_eth_xstat xs[256];
	struct rte_eth_xstat_name xn[256];
	struct rte_ether_addr mac = {{ 0x02, 0, 0, 0, 0, 9 }};
	struct rte_ether_addr mc = {{ 0x01, 0, 0x5e, 0, 0, 1 }};
	struct rte_dev_reg_info reg;
	struct rte_eth_dev_module_info modinfo;
	struct rte_eth_fc_conf fc;
	struct rte_eth_rss_conf rss;
	struct rte_eth_rss_reta_entry64 reta[4];
	struct rte_eth_cman_info cman;
	struct timespec ts;
	uint32_t ptypes[4];
	uint64_t clk;
	uint32_t fec;
	char fw[32];
	int ret;

	memset(&info, 0, sizeof(info));
	ret = rte_eth_dev_info_get(port, &info);
	TEST_CHECK(info.max_rx_queues == 7 && info.max_tx_queues == 5,
		   "dev_info limits not from the driver (%u/%u)", info.max_rx_queues,
		   info.max_tx_queues);
	expect_slot(S_INFOS_GET, "rte_eth_dev_info_get", ret);

	memset(&conf, 0, sizeof(conf));
	ret = rte_eth_dev_configure(port, 2, 3, &conf);
	TEST_CHECK(dev->data->nb_rx_queues == 2 && dev->data->nb_tx_queues == 3,
		   "queue counts misplaced (%u/%u)", dev->data->nb_rx_queues,
		   dev->data->nb_tx_queues);
	TEST_CHECK(dev->data->dev_configured == 1, "dev_configured bit misplaced");
	expect_slot(S_DEV_CONFIGURE, "rte_eth_dev_configure", ret);

	ret = rte_eth_dev_set_mtu(port, 4000);
	TEST_CHECK(dev->data->mtu == 4000, "mtu field not updated (%u)", dev->data->mtu);
	expect_slot(S_MTU_SET, "rte_eth_dev_set_mtu", ret);

	memset(&stats, 0, sizeof(stats));
	ret = rte_eth_stats_get(port, &stats);
	TEST_CHECK(stats.ipackets == 4242 && stats.obytes == 99, "stats not from the driver");
	TEST_CHECK(dev->data->rx_mbuf_alloc_failed == 0, "rx_mbuf_alloc_failed misplaced");
	expect_slot(S_STATS_GET, "rte_eth_stats_get", ret);
	expect_slot(S_STATS_RESET, "rte_eth_stats_reset", rte_eth_stats_reset(port));

	ret = rte_eth_xstats_get_names(port, xn, RTE_DIM(xn));
	TEST_CHECK(ret >= 1, "xstats names count %d", ret);
	if (ret >= 1)
		TEST_CHECK(strstr(xn[ret - 1].name, "abi_probe_counter") != NULL,
			   "driver xstat name missing: %s", xn[ret - 1].name);
	expect_slot(S_XSTATS_NAMES, "rte_eth_xstats_get_names", ret);
	ret = rte_eth_xstats_get(port, xs, RTE_DIM(xs));
	TEST_CHECK(ret >= 1 && ret <= (int)RTE_DIM(xs), "xstats count %d", ret);
	/* The per-queue counters of stats_get, as the library fills xstats with them. */
	if (ret >= 1 && ret <= (int)RTE_DIM(xs)) {
		TEST_CHECK(xstat_value(xn, xs, ret, "rx_q1_packets") == 31,
			   "rx_q1_packets %" PRIu64 ", 31 expected",
			   xstat_value(xn, xs, ret, "rx_q1_packets"));
		TEST_CHECK(xstat_value(xn, xs, ret, "tx_q2_bytes") == 47,
			   "tx_q2_bytes %" PRIu64 ", 47 expected",
			   xstat_value(xn, xs, ret, "tx_q2_bytes"));
	}
	expect_slot(S_XSTATS_GET, "rte_eth_xstats_get", ret);

	ret = rte_eth_dev_fw_version_get(port, fw, sizeof(fw));
	TEST_CHECK(strcmp(fw, "1.2.3.4") == 0, "fw version %s", fw);
	expect_slot(S_FW_VERSION, "rte_eth_dev_fw_version_get", ret);

	ret = rte_eth_dev_get_supported_ptypes(port, RTE_PTYPE_L2_MASK | RTE_PTYPE_L3_MASK,
					       ptypes, RTE_DIM(ptypes));
	TEST_CHECK(ret == 2 && ptypes[0] == RTE_PTYPE_L2_ETHER && ptypes[1] == RTE_PTYPE_L3_IPV4,
		   "ptypes %d", ret);
	expect_slot(S_PTYPES, "rte_eth_dev_get_supported_ptypes", ret);

	memset(&reg, 0, sizeof(reg));
	ret = rte_eth_dev_get_reg_info(port, &reg);
	TEST_CHECK(reg.length == 64 && reg.width == 4, "reg info not from the driver");
	expect_slot(S_REG, "rte_eth_dev_get_reg_info", ret);

	ret = rte_eth_dev_get_eeprom_length(port);
	TEST_CHECK(ret == 512, "eeprom length %d", ret);
	expect_slot(S_EEPROM_LEN, "rte_eth_dev_get_eeprom_length", ret);

	memset(&modinfo, 0, sizeof(modinfo));
	ret = rte_eth_dev_get_module_info(port, &modinfo);
	TEST_CHECK(modinfo.type == 0x11 && modinfo.eeprom_len == 256, "module info");
	expect_slot(S_MODULE_INFO, "rte_eth_dev_get_module_info", ret);

	memset(&fc, 0, sizeof(fc));
	ret = rte_eth_dev_flow_ctrl_get(port, &fc);
	TEST_CHECK(fc.mode == RTE_ETH_FC_FULL, "flow control mode");
	expect_slot(S_FLOW_CTRL_GET, "rte_eth_dev_flow_ctrl_get", ret);

	memset(&rss, 0, sizeof(rss));
	ret = rte_eth_dev_rss_hash_conf_get(port, &rss);
	TEST_CHECK(rss.rss_hf == RTE_ETH_RSS_IPV4, "rss_hf");
	expect_slot(S_RSS_CONF_GET, "rte_eth_dev_rss_hash_conf_get", ret);

	memset(reta, 0, sizeof(reta));
	reta[0].mask = 1;
	ret = rte_eth_dev_rss_reta_query(port, reta, 256);
	expect_slot(S_RETA_QUERY, "rte_eth_dev_rss_reta_query", ret);

	memset(&ts, 0, sizeof(ts));
	ret = rte_eth_timesync_read_time(port, &ts);
	TEST_CHECK(ts.tv_sec == 5 && ts.tv_nsec == 6, "timesync time");
	expect_slot(S_TIMESYNC_TIME, "rte_eth_timesync_read_time", ret);

	clk = 0;
	ret = rte_eth_read_clock(port, &clk);
	TEST_CHECK(clk == 123456789, "clock");
	expect_slot(S_READ_CLOCK, "rte_eth_read_clock", ret);

	fec = 0;
	ret = rte_eth_fec_get(port, &fec);
	TEST_CHECK(fec == RTE_ETH_FEC_MODE_CAPA_MASK(RS), "fec");
	expect_slot(S_FEC_GET, "rte_eth_fec_get", ret);

	memset(&cman, 0, sizeof(cman));
	ret = rte_eth_cman_info_get(port, &cman);
	TEST_CHECK(cman.modes_supported == RTE_CMAN_RED, "cman info");
	expect_slot(S_CMAN_INFO, "rte_eth_cman_info_get", ret);

	ret = rte_eth_dev_priv_dump(port, stdout);
	expect_slot(S_PRIV_DUMP, "rte_eth_dev_priv_dump", ret);

	expect_slot(S_MAC_SET, "rte_eth_dev_default_mac_addr_set",
		    rte_eth_dev_default_mac_addr_set(port, &mac));
	expect_slot(S_MC_LIST, "rte_eth_dev_set_mc_addr_list",
		    rte_eth_dev_set_mc_addr_list(port, &mc, 1));
	expect_slot(S_PROMISC_ON, "rte_eth_promiscuous_enable", rte_eth_promiscuous_enable(port));
	TEST_CHECK(dev->data->promiscuous == 1, "promiscuous bit not set by the library");
	expect_slot(S_ALLMULTI_ON, "rte_eth_allmulticast_enable",
		    rte_eth_allmulticast_enable(port));
	expect_slot(S_IS_REMOVED, "rte_eth_dev_is_removed", rte_eth_dev_is_removed(port));

	ret = rte_eth_dev_start(port);
	TEST_CHECK(dev->data->dev_started == 1, "dev_started bit misplaced");
	expect_slot(S_DEV_START, "rte_eth_dev_start", ret);
	ret = rte_eth_dev_stop(port);
	TEST_CHECK(dev->data->dev_started == 0, "dev_started not cleared");
	expect_slot(S_DEV_STOP, "rte_eth_dev_stop", ret);
	ret = rte_eth_dev_reset(port);
	expect_slot(S_DEV_RESET, "rte_eth_dev_reset", ret);
	ret = rte_eth_dev_close(port);
	expect_slot(S_DEV_CLOSE, "rte_eth_dev_close", ret);
}

int
main(int argc, char **argv)
{
	struct rte_eth_dev *dev;
	int ret, status;
	uint16_t port;
	pid_t child;

	setvbuf(stdout, NULL, _IONBF, 0);
	ret = rte_eal_init(argc, argv);
	if (ret < 0) {
		printf("FAIL: EAL init\n");
		return 1;
	}

	if (check_devices_symbol() != TEST_SUCCESS) {
		rte_eal_cleanup();
		return tk_report("test_abi_layout");
	}

	abi_ops_init();
	dev = rte_eth_dev_allocate("net_abi_probe");
	if (dev == NULL) {
		printf("FAIL: cannot allocate a port\n");
		rte_eal_cleanup();
		return 1;
	}
	port = dev->data->port_id;
	dev->dev_ops = &abi_ops;
	dev->device = &abi_device;
	dev->data->mac_addrs = rte_zmalloc("abi_mac", sizeof(struct rte_ether_addr), 0);
	dev->data->dev_flags |= RTE_ETH_DEV_AUTOFILL_QUEUE_XSTATS;
	dev->rx_pkt_burst = rte_eth_pkt_burst_dummy;
	dev->tx_pkt_burst = rte_eth_pkt_burst_dummy;
	rte_eth_dev_probing_finish(dev);

	check_data_memzone(dev, port);

	/*
	 * A wrong layout makes the library call the wrong stub with the wrong
	 * arguments, which may crash: run the calls in a child so a crash is
	 * reported as a failure.
	 */
	fflush(stdout);
	child = fork();
	if (child == 0) {
		check_fields(dev, port);
		check_ops(dev, port);	/* ends with rte_eth_dev_close() */
		_exit(tk_report("test_abi_layout: calls through the layout"));
	}
	if (child < 0 || waitpid(child, &status, 0) != child)
		TEST_CHECK(false, "cannot run the checks in a child process");
	else if (WIFSIGNALED(status))
		TEST_CHECK(false, "the checks crashed (signal %d)", WTERMSIG(status));
	else if (WEXITSTATUS(status) != 0)
		/* 1: the checks failed; else a sanitizer report (meson.build: 99) */
		TEST_CHECK(false, "the checks in the child failed (exit status %d)",
			   WEXITSTATUS(status));

	rte_eth_dev_release_port(dev);
	rte_eal_cleanup();
	return tk_report("test_abi_layout");
}
