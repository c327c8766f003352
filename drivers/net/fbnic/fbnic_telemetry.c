/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

/*
 * Telemetry commands for what the firmware knows and ethdev has no call
 * for (Linux shows them through hwmon, ethtool's self-test and debugfs):
 *
 *   /fbnic/sensors,<port>      temperature (millidegree C) and voltage (mV)
 *   /fbnic/self_test,<port>    the mailbox TEST round trip: pass or fail
 *   /fbnic/fw_log,<port>[,0|1] firmware log streaming (lines go to the
 *                              pmd.net.fbnic.mbox log type), and lines seen
 *
 * Each asks the firmware through the mailbox, under the port's lock, from
 * the primary process; errors come back as {"error": <negative errno>}.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <rte_common.h>
#include <rte_telemetry.h>
#include <ethdev_driver.h>

#include "fbnic_ethdev.h"
#include "fbnic_fw.h"
#include "fbnic_logs.h"

/* "<port>[,<flag>]": the fbnic port and the optional 0/1 flag (-1 without). */
static int
fbnic_tel_params(const char *params, struct rte_eth_dev **dev, int *flag)
{
	unsigned long port;
	char *end;

	*flag = -1;
	if (params == NULL || params[0] < '0' || params[0] > '9')
		return -EINVAL;
	port = strtoul(params, &end, 10);
	if (*end == ',') {
		if ((end[1] != '0' && end[1] != '1') || end[2] != '\0')
			return -EINVAL;
		*flag = end[1] - '0';
	} else if (*end != '\0') {
		return -EINVAL;
	}
	if (port >= RTE_MAX_ETHPORTS || !rte_eth_dev_is_valid_port((uint16_t)port) ||
	    !fbnic_is_fbnic_port((uint16_t)port))
		return -ENODEV;
	*dev = &rte_eth_devices[port];
	return 0;
}

/*
 * The port of a command and its usability; *flag -1 unless flag_ok allows
 * one. Returns the adapter, or NULL with *err set.
 */
static struct fbnic_adapter *
fbnic_tel_port(const char *params, bool flag_ok, int *flag, struct rte_eth_dev **dev,
	       int *err)
{
	*err = fbnic_tel_params(params, dev, flag);
	if (*err == 0 && !flag_ok && *flag != -1)
		*err = -EINVAL;
	if (*err == 0)
		*err = fbnic_dev_usable(*dev);
	return *err == 0 ? fbnic_eth_dev_adapter(*dev) : NULL;
}

static int
fbnic_tel_error(struct rte_tel_data *d, int err)
{
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_int(d, "error", err);
	return 0;
}

static int
fbnic_tel_sensors(const char *cmd, const char *params, struct rte_tel_data *d)
{
	int32_t mdeg = 0, mv = 0;
	struct fbnic_adapter *ad;
	struct rte_eth_dev *dev;
	int flag, ret;

	RTE_SET_USED(cmd);
	ad = fbnic_tel_port(params, false, &flag, &dev, &ret);
	if (ad == NULL)
		return fbnic_tel_error(d, ret);
	fbnic_lock(ad);
	ret = fbnic_fw_tsene_read(&ad->hw, &mdeg, &mv);
	fbnic_unlock(ad);
	if (ret != 0) {
		PMD_DRV_LOG(ERR, "port %u: sensor read failed: %d", dev->data->port_id, ret);
		return fbnic_tel_error(d, ret);
	}
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_int(d, "temperature_mC", mdeg);
	rte_tel_data_add_dict_int(d, "voltage_mV", mv);
	return 0;
}

static int
fbnic_tel_self_test(const char *cmd, const char *params, struct rte_tel_data *d)
{
	struct fbnic_adapter *ad;
	struct rte_eth_dev *dev;
	int flag, ret;

	RTE_SET_USED(cmd);
	ad = fbnic_tel_port(params, false, &flag, &dev, &ret);
	if (ad == NULL)
		return fbnic_tel_error(d, ret);
	fbnic_lock(ad);
	ret = fbnic_fw_self_test(&ad->hw);
	fbnic_unlock(ad);
	if (ret != 0)
		PMD_DRV_LOG(ERR, "port %u: firmware self-test failed: %d", dev->data->port_id,
			    ret);
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_string(d, "result", ret == 0 ? "pass" : "fail");
	rte_tel_data_add_dict_int(d, "error", ret);
	return 0;
}

static int
fbnic_tel_fw_log(const char *cmd, const char *params, struct rte_tel_data *d)
{
	struct fbnic_adapter *ad;
	struct rte_eth_dev *dev;
	int flag, ret;

	RTE_SET_USED(cmd);
	ad = fbnic_tel_port(params, true, &flag, &dev, &ret);
	if (ad == NULL)
		return fbnic_tel_error(d, ret);
	fbnic_lock(ad);
	if (flag != -1) {
		ret = fbnic_fw_send_logs(&ad->hw, flag == 1);
		if (ret == 0)
			ad->fw_log_on = flag == 1;
	}
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_int(d, "enabled", ad->fw_log_on);
	rte_tel_data_add_dict_int(d, "lines", (int)RTE_MIN(ad->hw.mbx != NULL ?
							   ad->hw.mbx->fw_logs : 0,
							   (uint64_t)INT32_MAX));
	rte_tel_data_add_dict_int(d, "error", ret);
	fbnic_unlock(ad);
	if (ret != 0)
		PMD_DRV_LOG(ERR, "port %u: firmware log streaming not changed: %d",
			    dev->data->port_id, ret);
	return 0;
}

RTE_INIT(fbnic_telemetry_init)
{
	rte_telemetry_register_cmd("/fbnic/sensors", fbnic_tel_sensors,
				   "Temperature and voltage of an fbnic port. Parameter: port id");
	rte_telemetry_register_cmd("/fbnic/self_test", fbnic_tel_self_test,
				   "Firmware self-test of an fbnic port. Parameter: port id");
	rte_telemetry_register_cmd("/fbnic/fw_log", fbnic_tel_fw_log,
				   "Firmware log streaming of an fbnic port. Params: port[,0|1]");
}
