/** The inventory layer: the user's files → Fleet, with positioned problems. */
export { loadInventory, type LoadOptions, type LoadResult } from './load.js';
export { formatProblem, formatProblems, sortProblems, type Problem } from './problems.js';
export { parseSize, formatSize } from './sizes.js';
export { isValidHost, parseSshTarget } from './addresses.js';
export { loadSshConfig, type SshConfigFile, type SshConfigLookup } from './sshConfig.js';
export { parseAnsibleInventory, parseAnsibleIni, parseAnsibleYaml, ansibleToInventoryYaml, expandHostPattern, AnsibleParseError, type AnsibleInventory } from './ansible.js';
