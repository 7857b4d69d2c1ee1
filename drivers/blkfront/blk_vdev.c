/*
 * Decoding virtual-device numbers into disk names (blk_vdev.h gives the encodings).
 */
#include "lib/errno.h"
#include "lib/vsnprintf.h"
#include "drivers/blkfront/blk_vdev.h"

#define XEN_VBD_MAJOR     202
#define VDEV_EXTENDED     (1u << 28)
#define VDEV_EXTENDED_MAX (1u << 28) /* the extended form's bits below its flag */

/* Linux's IDE majors, each holding two disks: hda/hdb on 3, hdc/hdd on 22, ... */
static const uint8_t ide_majors[] = {3, 22, 33, 34, 56, 57, 88, 89, 90, 91};

struct decoded {
    char prefix[4];
    unsigned int disk, partition;
};

static int decode(uint32_t vdev, struct decoded *d)
{
    unsigned int major = vdev >> 8, minor = vdev & 0xff;

    if (vdev & VDEV_EXTENDED) {
        if (vdev >= 2 * VDEV_EXTENDED_MAX)
            return -EINVAL;
        *d = (struct decoded){"xvd", (vdev & (VDEV_EXTENDED_MAX - 1)) >> 8, vdev & 0xff};
        return 0;
    }
    if (vdev > 0xffff)
        return -EINVAL;
    if (major == XEN_VBD_MAJOR) {
        *d = (struct decoded){"xvd", minor >> 4, minor & 15};
        return 0;
    }
    for (unsigned int i = 0; i < sizeof(ide_majors); i++) {
        if (major == ide_majors[i]) {
            *d = (struct decoded){"hd", 2 * i + (minor >> 6), minor & 63};
            return 0;
        }
    }
    if (major == 8 || (major >= 65 && major <= 71)) {
        unsigned int group = major == 8 ? 0 : major - 64;

        *d = (struct decoded){"sd", 16 * group + (minor >> 4), minor & 15};
        return 0;
    }
    if (major >= 128 && major <= 135) {
        *d = (struct decoded){"sd", 16 * (major - 128 + 8) + (minor >> 4), minor & 15};
        return 0;
    }
    return -EINVAL;
}

/* Disk 0 is "a", 25 "z", 26 "aa": bijective base 26, most significant letter first. */
static size_t disk_letters(unsigned int disk, char *out)
{
    char reversed[8];
    size_t n = 0;

    disk++;
    do {
        disk--;
        reversed[n++] = (char)('a' + disk % 26);
        disk /= 26;
    } while (disk);
    for (size_t i = 0; i < n; i++)
        out[i] = reversed[n - 1 - i];
    out[n] = '\0';
    return n;
}

int blk_vdev_name(uint32_t vdev, char *buf, size_t size)
{
    struct decoded d;
    char letters[8];
    int n, rc = decode(vdev, &d);

    if (rc)
        return rc;
    disk_letters(d.disk, letters);
    if (d.partition)
        n = snprintf(buf, size, "%s%s%u", d.prefix, letters, d.partition);
    else
        n = snprintf(buf, size, "%s%s", d.prefix, letters);
    return (size_t)n < size ? 0 : -E2BIG;
}
