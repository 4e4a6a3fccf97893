/* console_big — console test (tests/hail/run.sh): ONE printf of exactly
 * 1024 bytes (16 lines of 64 bytes: "big NN " + 56 letters + '\n'), then
 * "big done\n"; then the same 1024 bytes in ONE console write (the kernel
 * chunks it through its 64-byte buffer and reports it once), then
 * "big written N" with the count the write-done upcall gave. */
#include <libtock.h>
#include <stdio.h>

static char text[1025];

int main(void)
{
    int n = 0;
    for (int line = 0; line < 16; line++) {
        n += snprintf(&text[n], sizeof text - (size_t)n, "big %02d ", line);
        for (int i = 0; i < 56; i++)
            text[n++] = (char)('a' + (line + i) % 26);
        text[n++] = '\n';
    }
    text[n] = '\0';
    printf("%s", text);
    printf("big done\n");
    uint32_t written = 0;
    allow_readonly(DRIVER_NUM_CONSOLE, 1, text, (uint32_t)n);
    command(DRIVER_NUM_CONSOLE, 1, n, 0);
    yield_waitfor_return_t r = yield_wait_for(DRIVER_NUM_CONSOLE, 1);
    allow_readonly(DRIVER_NUM_CONSOLE, 1, NULL, 0);
    written = r.data0;
    printf("big written %lu %lu %lu\n", (unsigned long)written, (unsigned long)r.data1, (unsigned long)r.data2);
    return 0;
}
