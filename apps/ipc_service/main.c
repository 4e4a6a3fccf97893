/*
 * ipc_service — an IPC service: rot13s the buffer a client shares, then
 * notifies that client.  Clients find it by its package name "ipc_service".
 */
#include <ipc.h>
#include <stdio.h>
#include <tock.h>

static void rot13(char *s, int len)
{
    for (int i = 0; i < len && s[i] != '\0'; i++) {
        char c = s[i];
        if (c >= 'a' && c <= 'z')
            s[i] = (char)('a' + (c - 'a' + 13) % 26);
        else if (c >= 'A' && c <= 'Z')
            s[i] = (char)('A' + (c - 'A' + 13) % 26);
    }
}

static void request(int client, int len, int buf, void *ud)
{
    (void)ud;
    if (buf != 0 && len > 0)
        rot13((char *)buf, len);
    ipc_notify_client((size_t)client);
}

int main(void)
{
    returncode_t rc = ipc_register_service_callback("ipc_service", request, NULL);
    if (rc != RETURNCODE_SUCCESS) {
        printf("ipc_service: cannot register: %s\n", tock_strrcode(rc));
        return 1;
    }
    printf("ipc_service: ready\n");
    for (;;)
        yield();
}
