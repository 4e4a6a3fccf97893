/*
 * ipc.h — inter-process communication (driver 0x10000).
 *
 * A service finds its own id by discovering its package name and subscribes
 * at that number; a client discovers the service, shares a buffer with it
 * (RW allow number = service id), subscribes at the service id and notifies.
 * Upcall: fn(caller id, buffer length, buffer address, userdata).  A shared
 * buffer must suit the MPU: power-of-two size ≥ 32, aligned to its size.
 */
#ifndef LIBTOCK_IPC_H
#define LIBTOCK_IPC_H
#include "tock.h"
#define DRIVER_NUM_IPC 0x10000

returncode_t ipc_discover(const char *pkg_name, size_t *svc_id);
returncode_t ipc_register_service_callback(const char *pkg_name, subscribe_upcall *cb, void *ud);
returncode_t ipc_register_client_callback(size_t svc_id, subscribe_upcall *cb, void *ud);
returncode_t ipc_notify_service(size_t svc_id);
returncode_t ipc_notify_client(size_t client_id);
returncode_t ipc_share(size_t svc_id, void *base, size_t len);
#endif
