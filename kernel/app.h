/*
 * The application: a folder under apps/ that defines app_main(). The kernel calls it
 * once the kernel is up; when it returns 0 the domain powers off, otherwise it is
 * shut down as crashed.
 */
#ifndef KERNEL_APP_H
#define KERNEL_APP_H

int app_main(void);

#endif
