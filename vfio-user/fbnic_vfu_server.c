/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fbnic PMD authors
 */

/*
 * fbnic-vfu-server: the fbnic model as a vfio-user PCI device, for QEMU's
 * vfio-user-pci client (doc/guides/nics/fbnic_model.rst, "virtual machine").
 *
 *   fbnic-vfu-server --socket /run/fbnic0.sock [--wire loopback] ...
 *   qemu-system-x86_64 ... -device '{"driver":"vfio-user-pci",
 *       "socket":{"path":"/run/fbnic0.sock","type":"unix"}}'
 *
 * One thread serves the sockets; the model's engine thread runs the
 * datapath. A client that disconnects leaves the device as it was; the next
 * client finds it in that state. Faults can be switched at run time through
 * the control socket (--control) or SIGUSR1 (toggle link_down).
 */

#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "fbnic_vfu.h"
#include "fbm_topology.h"

#define SRV_MAX_DEVS		2
#define SRV_CTL_LINE		256

struct srv_dev {
	struct vfs_dev *vd;
	const char *path;
	int listen_fd;
};

struct srv {
	struct srv_dev devs[SRV_MAX_DEVS];
	unsigned int ndevs;
	struct fbm_engine *eng;
	const char *ctl_path;
	int ctl_fd;
	int sig_fd;
	bool once;
	bool quit;
	int log_level;
};

static void
usage(FILE *f)
{
	fprintf(f,
		"Usage: fbnic-vfu-server --socket PATH [options]\n"
		"  --socket PATH        vfio-user socket of the device\n"
		"  --peer-socket PATH   a second device, wired to the first (--wire peer)\n"
		"  --wire KIND          none (default), loopback, peer, afpacket:IFNAME,\n"
		"                       pcap:[IN][:OUT] (input, output or both)\n"
		"  --dsn HEX            device serial number (MAC source; default the model's)\n"
		"  --fw-version HEX     firmware version code (default the model's)\n"
		"  --link-mode N        firmware link mode (1 25G-CR, 2 50G-CR2, 3 50G-CR,\n"
		"                       4 100G-CR2)\n"
		"  --fec N              firmware FEC (1 none, 2 RS, 3 Base-R)\n"
		"  --link-hold-off MS   link settle time after MAC enable\n"
		"  --fault NAME         fault active from the start (repeatable)\n"
		"  --control PATH       control socket (see below)\n"
		"  --once               exit when the first client disconnects\n"
		"  --log-level N        4 err .. 8 debug (default 5)\n"
		"Control socket: one command per connection, one line:\n"
		"  fault NAME on|off [DEV]   set a fault (link_down, fw_silent, ...)\n"
		"  reset [DEV]               function level reset of the model\n"
		"  stats                     counters of every device\n"
		"  quit                      stop the server\n"
		"SIGUSR1 toggles link_down on every device; SIGINT/SIGTERM stop the server.\n");
}

static int
srv_listen(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd;

	if (strlen(path) >= sizeof(sa.sun_path)) {
		fprintf(stderr, "fbnic-vfu-server: socket path too long: %s\n", path);
		return -ENAMETOOLONG;
	}
	strcpy(sa.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	unlink(path);
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(fd, 4) < 0) {
		int err = errno;

		fprintf(stderr, "fbnic-vfu-server: %s: %s\n", path, strerror(err));
		close(fd);
		return -err;
	}
	return fd;
}

static struct srv_dev *
srv_dev_by_name(struct srv *s, const char *name)
{
	unsigned int i;

	if (name == NULL || *name == '\0')
		return NULL;
	for (i = 0; i < s->ndevs; i++)
		if (strcmp(vfs_dev_name(s->devs[i].vd), name) == 0)
			return &s->devs[i];
	return NULL;
}

/* One control command; the answer goes to out. */
static void
srv_control(struct srv *s, char *line, FILE *out)
{
	char *argv[5] = { NULL };
	unsigned int argc = 0, i, first = 0, last = s->ndevs;
	char *save = NULL, *tok;

	for (tok = strtok_r(line, " \t\r\n", &save); tok != NULL && argc < 5;
	     tok = strtok_r(NULL, " \t\r\n", &save))
		argv[argc++] = tok;
	if (argc == 0) {
		fprintf(out, "error: empty command\n");
		return;
	}
	if (strcmp(argv[0], "quit") == 0) {
		s->quit = true;
		fprintf(out, "ok\n");
	} else if (strcmp(argv[0], "stats") == 0) {
		for (i = 0; i < s->ndevs; i++)
			vfs_dev_stats_print(s->devs[i].vd, out);
	} else if (strcmp(argv[0], "reset") == 0) {
		struct srv_dev *sd = srv_dev_by_name(s, argv[1]);

		if (argc > 1 && sd == NULL) {
			fprintf(out, "error: no device %s\n", argv[1]);
			return;
		}
		for (i = 0; i < s->ndevs; i++)
			if (sd == NULL || sd == &s->devs[i])
				fbm_reset(vfs_dev_model(s->devs[i].vd));
		fprintf(out, "ok\n");
	} else if (strcmp(argv[0], "fault") == 0 && argc >= 3) {
		int f = fbm_fault_parse(argv[1]);
		bool on = strcmp(argv[2], "on") == 0;

		if (f < 0 || (!on && strcmp(argv[2], "off") != 0)) {
			fprintf(out, "error: usage: fault NAME on|off [DEV]\n");
			return;
		}
		if (argc > 3) {
			struct srv_dev *sd = srv_dev_by_name(s, argv[3]);

			if (sd == NULL) {
				fprintf(out, "error: no device %s\n", argv[3]);
				return;
			}
			first = (unsigned int)(sd - s->devs);
			last = first + 1;
		}
		for (i = first; i < last; i++) {
			struct fbm_dev *m = vfs_dev_model(s->devs[i].vd);
			int ret = fbm_fault_set(m, (enum fbm_fault)f, on);

			if (ret < 0) {
				fprintf(out, "error: %s\n", strerror(-ret));
				return;
			}
		}
		fprintf(out, "ok\n");
	} else {
		fprintf(out, "error: unknown command %s\n", argv[0]);
	}
}

static void
srv_control_accept(struct srv *s)
{
	char line[SRV_CTL_LINE];
	size_t len = 0;
	FILE *out;
	int fd;

	fd = accept4(s->ctl_fd, NULL, NULL, SOCK_CLOEXEC);
	if (fd < 0)
		return;
	/* One short line, bounded in time. */
	while (len < sizeof(line) - 1) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		ssize_t n;

		if (poll(&p, 1, 1000) <= 0)
			break;
		n = read(fd, line + len, sizeof(line) - 1 - len);
		if (n <= 0)
			break;
		len += (size_t)n;
		if (memchr(line, '\n', len) != NULL)
			break;
	}
	line[len] = '\0';
	out = fdopen(fd, "w");
	if (out == NULL) {
		close(fd);
		return;
	}
	srv_control(s, line, out);
	fclose(out);
}

static void
srv_toggle_link(struct srv *s)
{
	unsigned int i;

	for (i = 0; i < s->ndevs; i++) {
		struct fbm_dev *m = vfs_dev_model(s->devs[i].vd);
		bool down = !fbm_fault_get(m, FBM_FAULT_LINK_DOWN);

		fbm_fault_set(m, FBM_FAULT_LINK_DOWN, down);
		fprintf(stderr, "fbnic-vfu-server: %s link_down %s\n", fbm_name(m),
			down ? "on" : "off");
	}
}

static void
srv_signal(struct srv *s)
{
	struct signalfd_siginfo si;

	if (read(s->sig_fd, &si, sizeof(si)) != (ssize_t)sizeof(si))
		return;
	if (si.ssi_signo == SIGUSR1)
		srv_toggle_link(s);
	else
		s->quit = true;
}

static int
srv_run(struct srv *s)
{
	bool served = false;

	while (!s->quit) {
		struct pollfd p[2 + 2 * SRV_MAX_DEVS];
		int kind[2 + 2 * SRV_MAX_DEVS];	/* -1 signal, -2 control, 2i listen, 2i+1 conn */
		unsigned int n = 0, i;
		int timeout = 200, ret;

		p[n] = (struct pollfd){ .fd = s->sig_fd, .events = POLLIN };
		kind[n++] = -1;
		if (s->ctl_fd >= 0) {
			p[n] = (struct pollfd){ .fd = s->ctl_fd, .events = POLLIN };
			kind[n++] = -2;
		}
		for (i = 0; i < s->ndevs; i++) {
			int cfd = vfs_dev_conn_fd(s->devs[i].vd);

			if (cfd < 0) {
				p[n] = (struct pollfd){ .fd = s->devs[i].listen_fd,
							.events = POLLIN };
				kind[n++] = (int)(2 * i);
			} else {
				p[n] = (struct pollfd){ .fd = cfd, .events = POLLIN };
				kind[n++] = (int)(2 * i + 1);
			}
			if (vfs_dev_needs_poll(s->devs[i].vd))
				timeout = 1;
		}
		ret = poll(p, n, timeout);
		if (ret < 0 && errno != EINTR) {
			perror("fbnic-vfu-server: poll");
			return 1;
		}
		for (i = 0; ret > 0 && i < n; i++) {
			struct srv_dev *sd;

			if (p[i].revents == 0)
				continue;
			if (kind[i] == -1) {
				srv_signal(s);
				continue;
			}
			if (kind[i] == -2) {
				srv_control_accept(s);
				continue;
			}
			sd = &s->devs[kind[i] / 2];
			if (kind[i] % 2 == 0) {
				int fd = accept4(sd->listen_fd, NULL, NULL, SOCK_CLOEXEC);

				if (fd >= 0 && vfs_dev_attach(sd->vd, fd) < 0)
					close(fd);
				served = true;
			} else if (vfs_dev_service(sd->vd) == -ECONNRESET && s->once) {
				s->quit = true;
			}
		}
		for (i = 0; i < s->ndevs; i++)
			if (vfs_dev_needs_poll(s->devs[i].vd))
				vfs_dev_poll(s->devs[i].vd);
	}
	(void)served;
	return 0;
}

static int
srv_parse_u64(const char *opt, const char *arg, uint64_t *v)
{
	char *end;

	errno = 0;
	*v = strtoull(arg, &end, 0);
	if (errno != 0 || end == arg || *end != '\0') {
		fprintf(stderr, "fbnic-vfu-server: bad value for %s: %s\n", opt, arg);
		return -EINVAL;
	}
	return 0;
}

static int
srv_wire(struct srv *s, const char *wire)
{
	struct fbm_dev *a = vfs_dev_model(s->devs[0].vd);
	struct fbm_wire_spec spec;
	int ret;

	/* The vdev's grammar (fbm_topology.h); "peer" is the --peer-socket device. */
	if (fbm_wire_spec_parse(wire, &spec) != 0) {
		fprintf(stderr, "fbnic-vfu-server: --wire %s: expected %s\n", wire,
			FBM_WIRE_GRAMMAR);
		return -EINVAL;
	}
	if (spec.kind == FBM_WIRE_SPEC_PEER) {
		if (spec.arg[0] != '\0' || s->ndevs < 2) {
			fprintf(stderr, "fbnic-vfu-server: --wire %s: the peer is the device of "
				"--peer-socket (--wire peer)\n", wire);
			return -EINVAL;
		}
		ret = fbm_wire_connect(a, vfs_dev_model(s->devs[1].vd));
	} else {
		ret = fbm_wire_spec_apply(a, &spec);
	}
	if (ret < 0)
		fprintf(stderr, "fbnic-vfu-server: wire %s: %s\n", wire, strerror(-ret));
	if (ret == 0 && s->ndevs > 1 && spec.kind != FBM_WIRE_SPEC_PEER)
		ret = fbm_wire_none(vfs_dev_model(s->devs[1].vd));
	return ret;
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "socket", required_argument, NULL, 's' },
		{ "peer-socket", required_argument, NULL, 'p' },
		{ "wire", required_argument, NULL, 'w' },
		{ "dsn", required_argument, NULL, 'd' },
		{ "fw-version", required_argument, NULL, 'F' },
		{ "link-mode", required_argument, NULL, 'm' },
		{ "fec", required_argument, NULL, 'e' },
		{ "link-hold-off", required_argument, NULL, 'H' },
		{ "fault", required_argument, NULL, 'f' },
		{ "control", required_argument, NULL, 'c' },
		{ "once", no_argument, NULL, 'o' },
		{ "log-level", required_argument, NULL, 'l' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *paths[SRV_MAX_DEVS] = { NULL, NULL };
	const char *wire = "none";
	struct srv s = { .ctl_fd = -1, .sig_fd = -1, .log_level = FBM_LOG_WARNING };
	struct fbm_config cfg;
	sigset_t mask;
	unsigned int i;
	uint64_t v;
	int c, ret, rc = 1;

	fbm_config_init(&cfg);
	/* Like real hardware: no MSI-X message until the guest enables MSI-X. */
	cfg.msix_enable = false;
	while ((c = getopt_long(argc, argv, "s:p:w:h", opts, NULL)) != -1) {
		switch (c) {
		case 's':
			paths[0] = optarg;
			break;
		case 'p':
			paths[1] = optarg;
			break;
		case 'w':
			wire = optarg;
			break;
		case 'd':
			if (srv_parse_u64("--dsn", optarg, &v) < 0)
				return 2;
			cfg.dsn = v;
			break;
		case 'F':
			if (srv_parse_u64("--fw-version", optarg, &v) < 0 || v > UINT32_MAX)
				return 2;
			cfg.fw_version = (uint32_t)v;
			break;
		case 'm':
			if (srv_parse_u64("--link-mode", optarg, &v) < 0 || v > 16)
				return 2;
			cfg.link_mode = (unsigned int)v;
			break;
		case 'e':
			if (srv_parse_u64("--fec", optarg, &v) < 0 || v > 16)
				return 2;
			cfg.fec = (unsigned int)v;
			break;
		case 'H':
			if (srv_parse_u64("--link-hold-off", optarg, &v) < 0 || v > 600000)
				return 2;
			cfg.link_hold_off_ns = v * 1000000;
			break;
		case 'f':
			ret = fbm_fault_parse(optarg);
			if (ret < 0) {
				fprintf(stderr, "fbnic-vfu-server: unknown fault %s\n", optarg);
				return 2;
			}
			cfg.faults |= 1u << ret;
			break;
		case 'c':
			s.ctl_path = optarg;
			break;
		case 'o':
			s.once = true;
			break;
		case 'l':
			if (srv_parse_u64("--log-level", optarg, &v) < 0 || v > 8)
				return 2;
			s.log_level = (int)v;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (paths[0] == NULL || optind != argc) {
		usage(stderr);
		return 2;
	}

	sigemptyset(&mask);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGUSR1);
	sigaddset(&mask, SIGPIPE);
	pthread_sigmask(SIG_BLOCK, &mask, NULL);
	s.sig_fd = signalfd(-1, &mask, SFD_CLOEXEC);
	if (s.sig_fd < 0) {
		perror("fbnic-vfu-server: signalfd");
		return 1;
	}

	for (i = 0; i < SRV_MAX_DEVS && paths[i] != NULL; i++) {
		struct fbm_config dc = cfg;

		snprintf(dc.name, sizeof(dc.name), "fbnic%u", i);
		dc.dsn = cfg.dsn + i;
		ret = vfs_dev_create(&dc, s.log_level, &s.devs[i].vd);
		if (ret < 0) {
			fprintf(stderr, "fbnic-vfu-server: cannot create the model: %s\n",
				strerror(-ret));
			goto out;
		}
		s.devs[i].path = paths[i];
		s.devs[i].listen_fd = -1;
		s.ndevs++;
	}
	if (srv_wire(&s, wire) < 0)
		goto out;
	ret = fbm_engine_create(&s.eng);
	if (ret < 0)
		goto out;
	for (i = 0; i < s.ndevs; i++)
		vfs_dev_set_engine(s.devs[i].vd, s.eng);
	ret = fbm_engine_start(s.eng);
	if (ret < 0) {
		fprintf(stderr, "fbnic-vfu-server: engine: %s\n", strerror(-ret));
		goto out;
	}
	if (s.ctl_path != NULL) {
		s.ctl_fd = srv_listen(s.ctl_path);
		if (s.ctl_fd < 0)
			goto out;
	}
	/* Listening sockets last: their existence tells callers we are ready. */
	for (i = 0; i < s.ndevs; i++) {
		s.devs[i].listen_fd = srv_listen(s.devs[i].path);
		if (s.devs[i].listen_fd < 0)
			goto out;
		fprintf(stderr, "fbnic-vfu-server: %s (dsn 0x%016" PRIx64 ") on %s\n",
			vfs_dev_name(s.devs[i].vd), cfg.dsn + i, s.devs[i].path);
	}
	rc = srv_run(&s);
out:
	if (s.eng != NULL)
		fbm_engine_stop(s.eng);
	for (i = 0; i < s.ndevs; i++) {
		if (s.devs[i].listen_fd >= 0) {
			close(s.devs[i].listen_fd);
			unlink(s.devs[i].path);
		}
		vfs_dev_stats_print(s.devs[i].vd, stderr);
		vfs_dev_destroy(s.devs[i].vd);
	}
	if (s.eng != NULL)
		fbm_engine_destroy(s.eng);
	if (s.ctl_fd >= 0) {
		close(s.ctl_fd);
		unlink(s.ctl_path);
	}
	close(s.sig_fd);
	return rc;
}
