/*
 * Virtual-device numbers: how the toolstack names a disk to the guest. A disk's
 * xenstore directory device/vbd/N is named after its number N, which encodes the
 * name in the domain's config (Xen's docs/misc/vbd-interface.txt):
 *
 *   xvd, disks 0-15, partitions 0-15:  (202 << 8) | (disk << 4) | partition
 *   xvd, any disk (the extended form): (1 << 28) | (disk << 8) | partition
 *   hd:  Linux's IDE majors (3, 22, 33, 34, 56, 57, 88-91), two disks of 64 minors each
 *   sd:  Linux's SCSI majors (8, 65-71, 128-135), sixteen disks of 16 minors each
 *
 * Disk numbers become letters as Linux writes them: a..z, aa..zz, aaa...
 */
#ifndef DRIVERS_BLKFRONT_BLK_VDEV_H
#define DRIVERS_BLKFRONT_BLK_VDEV_H

#include <stddef.h>
#include <stdint.h>

/*
 * The disk's name ("xvda", "hdc", "sdb", "xvdaa3") into buf; -EINVAL for a number no
 * encoding above gives, -E2BIG when buf is too small.
 */
int blk_vdev_name(uint32_t vdev, char *buf, size_t size);

#endif
