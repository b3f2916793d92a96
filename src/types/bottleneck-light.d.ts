// bottleneck's light build (the one Octokit's plugins use) has the types of the full build.
declare module 'bottleneck/light.js' {
  import Bottleneck from 'bottleneck';
  export default Bottleneck;
}
