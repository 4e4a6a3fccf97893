#include "ipc.h"

#include <string.h>

returncode_t ipc_discover(const char *pkg_name, size_t *svc_id)
{
    returncode_t rc = tock_allow_ro_return_to_returncode(
        allow_readonly(DRIVER_NUM_IPC, 0, pkg_name, strlen(pkg_name)));
    if (rc != RETURNCODE_SUCCESS)
        return rc;
    uint32_t id = 0;
    rc = tock_command_return_u32_to_returncode(command(DRIVER_NUM_IPC, 1, 0, 0), &id);
    allow_readonly(DRIVER_NUM_IPC, 0, NULL, 0);
    if (rc == RETURNCODE_SUCCESS && svc_id != NULL)
        *svc_id = id;
    return rc;
}

returncode_t ipc_register_service_callback(const char *pkg_name, subscribe_upcall *cb, void *ud)
{
    size_t me = 0;
    returncode_t rc = ipc_discover(pkg_name, &me);
    if (rc != RETURNCODE_SUCCESS)
        return rc;
    return tock_subscribe_return_to_returncode(subscribe(DRIVER_NUM_IPC, me, cb, ud));
}

returncode_t ipc_register_client_callback(size_t svc_id, subscribe_upcall *cb, void *ud)
{
    return tock_subscribe_return_to_returncode(subscribe(DRIVER_NUM_IPC, svc_id, cb, ud));
}

returncode_t ipc_notify_service(size_t svc_id)
{
    return tock_command_return_novalue_to_returncode(command(DRIVER_NUM_IPC, 2, (int)svc_id, 0));
}

returncode_t ipc_notify_client(size_t client_id)
{
    return tock_command_return_novalue_to_returncode(
        command(DRIVER_NUM_IPC, 3, (int)client_id, 0));
}

returncode_t ipc_share(size_t svc_id, void *base, size_t len)
{
    return tock_allow_rw_return_to_returncode(allow_readwrite(DRIVER_NUM_IPC, svc_id, base, len));
}
