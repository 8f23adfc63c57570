/*
 * For the programs of user/classic/: HAS_TYPE(name, type) holds when
 * name is declared with exactly that type, the one classic JOS gives it.
 */
#ifndef JOS_USER_CLASSIC_SIGNATURE_H
#define JOS_USER_CLASSIC_SIGNATURE_H

#define HAS_TYPE(name, type)	__builtin_types_compatible_p(__typeof__(name), type)

#endif
